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
} from "./chunk-EWDXWVB2.js";
import "./chunk-Y4PIAPZT.js";
import "./chunk-MEIW7ZG6.js";
import "./chunk-6YYFZVAX.js";
import "./chunk-33CLMXR5.js";
import "./chunk-IXWQZFUI.js";
export {
  loadConfig,
  parseConfig,
  validateConfig
};
