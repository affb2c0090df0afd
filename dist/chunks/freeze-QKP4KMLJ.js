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
} from "./chunk-WSU5S7QN.js";
import "./chunk-YP6LPLCY.js";
import "./chunk-KD6JFFZP.js";
import "./chunk-GMKAZPZV.js";
import "./chunk-LMZR6TJS.js";
import "./chunk-VPMBM7N4.js";
import "./chunk-XPKUHUAA.js";
import "./chunk-KJJ7Q6GW.js";
import "./chunk-R3NJ6STF.js";
import "./chunk-C77GQZ6K.js";
import "./chunk-KSEC43MG.js";
import "./chunk-33CLMXR5.js";
import "./chunk-TCS2WAR2.js";
export {
  cliActor,
  registerFreeze,
  registerUnfreeze
};
