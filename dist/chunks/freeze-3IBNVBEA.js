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
} from "./chunk-I3BHNUIO.js";
import "./chunk-MSIDRNQU.js";
import "./chunk-TQM4JMOX.js";
import "./chunk-GMKAZPZV.js";
import "./chunk-TXDZGFZR.js";
import "./chunk-O4EB7FWL.js";
import "./chunk-BZFZLUOT.js";
import "./chunk-LMJPT53F.js";
import "./chunk-U5PW7Z6Z.js";
import "./chunk-N3PY2J3R.js";
import "./chunk-GCAXE236.js";
import "./chunk-VPMBM7N4.js";
import "./chunk-73AJGAF4.js";
import "./chunk-2YKYWK6T.js";
import "./chunk-33CLMXR5.js";
import "./chunk-TCS2WAR2.js";
export {
  cliActor,
  registerFreeze,
  registerUnfreeze
};
