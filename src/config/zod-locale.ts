// zod/mini sets no locale (classic zod set English on its first schema): without one, a message
// neither a schema nor humanErrorMap words (an action input's, a union's) would read "Invalid input".
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());
