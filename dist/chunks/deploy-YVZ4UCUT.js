import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  registerDeploy,
  stageWant
} from "./chunk-6VDFE5UP.js";
import "./chunk-GC4BRSAW.js";
import "./chunk-2X6KBHJI.js";
import "./chunk-6NN536UI.js";
import "./chunk-VIGMWPEH.js";
import "./chunk-3M5264DF.js";
import "./chunk-63FYMCDR.js";
import "./chunk-WV2OCI7Q.js";
import "./chunk-XTOORCU4.js";
import "./chunk-TCS2WAR2.js";
export {
  registerDeploy,
  stageWant
};
