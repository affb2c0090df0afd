// Bundle entry (dist/action.js), run by action.yml's composite step.
import { run } from "./main.js";

await run();
