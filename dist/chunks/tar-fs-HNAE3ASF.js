import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  require_tar_fs
} from "./chunk-B56PIPAY.js";
import "./chunk-V7VEGEK5.js";
import "./chunk-S2UCKL5M.js";
import "./chunk-TCS2WAR2.js";
export default require_tar_fs();
