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
} from "./chunk-YCQWTAXP.js";
import "./chunk-QYPEKVEW.js";
import "./chunk-2ZCPSC65.js";
import "./chunk-VIGMWPEH.js";
import "./chunk-PAOL2XUM.js";
import "./chunk-UGHY73WQ.js";
import "./chunk-YZI7W73G.js";
import "./chunk-33CLMXR5.js";
import "./chunk-TCS2WAR2.js";
export {
  registerLogs,
  sinceSec,
  tailLines
};
