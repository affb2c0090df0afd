import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  cliActor,
  registerFreeze,
  registerUnfreeze
} from "./chunk-FBMO6O67.js";
import "./chunk-KMMJTMRE.js";
import "./chunk-NGJCBOJ4.js";
import "./chunk-GMKAZPZV.js";
import "./chunk-7M6VUMCB.js";
import "./chunk-VPMBM7N4.js";
import "./chunk-PA52S56A.js";
import "./chunk-4CXPSL6I.js";
import "./chunk-EV7VW56I.js";
import "./chunk-U5PW7Z6Z.js";
import "./chunk-N3PY2J3R.js";
import "./chunk-33CLMXR5.js";
import "./chunk-TCS2WAR2.js";
export {
  cliActor,
  registerFreeze,
  registerUnfreeze
};
