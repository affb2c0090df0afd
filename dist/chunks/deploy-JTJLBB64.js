import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  registerDeploy,
  stageWant
} from "./chunk-L75EH3PM.js";
import "./chunk-IQCURSAV.js";
import "./chunk-ML537DZL.js";
import "./chunk-LVT6GJJY.js";
import "./chunk-34S42KUK.js";
import "./chunk-PKG5PH2D.js";
export {
  registerDeploy,
  stageWant
};
