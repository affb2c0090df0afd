import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  loadConfig,
  parseConfig,
  validateConfig
} from "./chunk-LGWJG4RW.js";
import "./chunk-J4EKENUZ.js";
import "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-N3PY2J3R.js";
import "./chunk-33CLMXR5.js";
import "./chunk-TCS2WAR2.js";
export {
  loadConfig,
  parseConfig,
  validateConfig
};
