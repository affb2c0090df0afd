import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  parseConfig
} from "./chunk-KOJVVY35.js";
import "./chunk-J4EKENUZ.js";
import "./chunk-LWOTBTAS.js";
import "./chunk-N3PY2J3R.js";
import {
  isTinyforgeError
} from "./chunk-33CLMXR5.js";
import "./chunk-TCS2WAR2.js";

// src/config/validate-worker.ts
import { parentPort } from "node:worker_threads";
parentPort?.once("message", ({ text, file }) => {
  try {
    parentPort?.postMessage({ config: parseConfig(text, file) });
  } catch (e) {
    const error = isTinyforgeError(e) ? { code: e.code, message: e.message, hint: e.hint, details: [...e.details] } : { message: e instanceof Error ? e.message : String(e) };
    parentPort?.postMessage({ error });
  }
});
