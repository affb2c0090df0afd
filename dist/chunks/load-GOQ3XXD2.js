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
} from "./chunk-UPLXK7JO.js";
import "./chunk-EYWUCGAO.js";
import "./chunk-VZYK7UIJ.js";
import "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-B3EANRFM.js";
import "./chunk-33CLMXR5.js";
import "./chunk-IXWQZFUI.js";
export {
  loadConfig,
  parseConfig,
  validateConfig
};
