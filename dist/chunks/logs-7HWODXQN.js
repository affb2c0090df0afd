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
} from "./chunk-Y3V3DJKU.js";
import "./chunk-RUKVOWED.js";
import "./chunk-5UTOA4GN.js";
import "./chunk-GMKAZPZV.js";
import "./chunk-OOAMI6SF.js";
import "./chunk-VPMBM7N4.js";
import "./chunk-F65JZWG3.js";
import "./chunk-KJJ7Q6GW.js";
import "./chunk-R3NJ6STF.js";
import "./chunk-BPYPQJDY.js";
import "./chunk-KSEC43MG.js";
import "./chunk-33CLMXR5.js";
import "./chunk-TCS2WAR2.js";
export {
  registerLogs,
  sinceSec,
  tailLines
};
