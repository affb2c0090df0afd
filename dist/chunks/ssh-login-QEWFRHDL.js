import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  hangUp,
  sshLogin
} from "./chunk-Y75A4HVU.js";
import "./chunk-VPMBM7N4.js";
import "./chunk-73AJGAF4.js";
import "./chunk-2YKYWK6T.js";
import "./chunk-33CLMXR5.js";
import "./chunk-TCS2WAR2.js";
export {
  hangUp,
  sshLogin
};
