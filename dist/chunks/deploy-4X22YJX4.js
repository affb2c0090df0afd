import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  registerDeploy,
  stageWant
} from "./chunk-5Z55BOVL.js";
import "./chunk-F6I5Y2WL.js";
import "./chunk-H5CAJEY6.js";
import "./chunk-XQT2KE2P.js";
import "./chunk-I2DY4L72.js";
import "./chunk-NK3HCQRX.js";
import "./chunk-FPFE2FFA.js";
import "./chunk-WU2O47X6.js";
export {
  registerDeploy,
  stageWant
};
