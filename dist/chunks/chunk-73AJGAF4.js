import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);

// src/adapters/ssh-bounds.ts
var CONNECT_TIMEOUT_MS = 1e4;
var KEEPALIVE_MS = 3e3;
var KEEPALIVE_MISSES = 3;

export {
  CONNECT_TIMEOUT_MS,
  KEEPALIVE_MS,
  KEEPALIVE_MISSES
};
