import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  coalesceWrites,
  hangUp,
  sshLogin
} from "./chunk-FNWFE4L5.js";
import "./chunk-KCBSN2NP.js";
import "./chunk-73AJGAF4.js";
import "./chunk-33CLMXR5.js";
import "./chunk-IXWQZFUI.js";
export {
  coalesceWrites,
  hangUp,
  sshLogin
};
