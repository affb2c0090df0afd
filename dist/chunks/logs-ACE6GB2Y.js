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
} from "./chunk-7OKCEEYM.js";
import "./chunk-2UXQVKJS.js";
import "./chunk-F6I5Y2WL.js";
import "./chunk-H5CAJEY6.js";
import "./chunk-2FHECLNO.js";
import "./chunk-PXD23O35.js";
import "./chunk-NK3HCQRX.js";
import "./chunk-FPFE2FFA.js";
import "./chunk-WU2O47X6.js";
export {
  registerLogs,
  sinceSec,
  tailLines
};
