import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  require_tar_fs
} from "./chunk-HZDHNQL3.js";
import "./chunk-WGESLFVP.js";
import "./chunk-GNGMNPJL.js";
import "./chunk-IXWQZFUI.js";
export default require_tar_fs();
