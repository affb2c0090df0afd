import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  cliActor,
  registerFreeze,
  registerUnfreeze
} from "./chunk-XGXWGD23.js";
import "./chunk-EVKE27C2.js";
import "./chunk-RRK5X25M.js";
import "./chunk-Y75A4HVU.js";
import "./chunk-GMKAZPZV.js";
import "./chunk-VPMBM7N4.js";
import "./chunk-QBSBQI6T.js";
import "./chunk-73AJGAF4.js";
import "./chunk-R5YPQ4NM.js";
import "./chunk-Q7ADGZ56.js";
import "./chunk-2YKYWK6T.js";
import "./chunk-LMJPT53F.js";
import "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-N3PY2J3R.js";
import "./chunk-33CLMXR5.js";
import "./chunk-TE7HIZUT.js";
import "./chunk-TCS2WAR2.js";
export {
  cliActor,
  registerFreeze,
  registerUnfreeze
};
