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
} from "./chunk-WR6IC7ID.js";
import "./chunk-SJLTWOQZ.js";
import "./chunk-W6B6RPL7.js";
import "./chunk-6YYFZVAX.js";
import "./chunk-4IXK3LVB.js";
import "./chunk-IXWQZFUI.js";
export {
  loadConfig,
  parseConfig,
  validateConfig
};
