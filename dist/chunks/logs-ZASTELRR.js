import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  registerLogs,
  sinceSec,
  tailLines
} from "./chunk-FCMJYNPT.js";
import "./chunk-QF5WVFZ3.js";
import "./chunk-GFNAN4AC.js";
import "./chunk-VIGMWPEH.js";
import "./chunk-UZQF3MDI.js";
import "./chunk-LQF3IXKQ.js";
import "./chunk-7QJABJIZ.js";
import "./chunk-33CLMXR5.js";
import "./chunk-TCS2WAR2.js";
export {
  registerLogs,
  sinceSec,
  tailLines
};
