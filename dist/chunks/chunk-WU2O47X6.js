import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/errors.ts
var EXIT = {
  ok: 0,
  deployFailed: 1,
  usage: 2,
  locked: 3,
  unreachable: 4
};
var exitByCode = {
  config_invalid: EXIT.usage,
  usage: EXIT.usage,
  lock_held: EXIT.locked,
  lock_lost: EXIT.deployFailed,
  host_unreachable: EXIT.unreachable,
  host_auth_failed: EXIT.unreachable,
  host_key_unknown: EXIT.unreachable,
  host_key_changed: EXIT.unreachable,
  // The host went away mid-operation (or stopped answering): the same exit as unreachable.
  connection_lost: EXIT.unreachable,
  host_timeout: EXIT.unreachable,
  // sshd answers but the Docker engine behind it does not (dockerd stopped or restarting).
  docker_unreachable: EXIT.unreachable,
  health_timeout: EXIT.deployFailed,
  container_exited: EXIT.deployFailed,
  build_failed: EXIT.deployFailed,
  pull_failed: EXIT.deployFailed,
  deploy_failed: EXIT.deployFailed,
  release_failed: EXIT.deployFailed,
  not_found: EXIT.usage,
  checkout_refused: EXIT.deployFailed
};
var TinyforgeError = class extends Error {
  code;
  /** What the user should do next; printed under the message. */
  hint;
  /** Extra lines (e.g. every config error), printed one per line. */
  details;
  /**
   * Set when the message may carry secrets it could not know to redact (e.g. `docker compose up`
   * output): events, statuses and chat get this generic reason; the full message stays local.
   */
  publicMessage;
  constructor(code, message, opts = {}) {
    super(message, opts.cause === void 0 ? void 0 : { cause: opts.cause });
    this.name = "TinyforgeError";
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details ?? [];
    this.publicMessage = opts.publicMessage;
  }
  get exitCode() {
    return exitByCode[this.code];
  }
};
function isTinyforgeError(e) {
  return e instanceof TinyforgeError;
}
function errorMessage(e) {
  return e instanceof Error ? e.message : String(e);
}
function causedBy(e, code) {
  for (let cur = e, depth = 0; cur && depth < 10; cur = cur.cause, depth++) {
    if (isTinyforgeError(cur) && cur.code === code) return cur;
  }
  return void 0;
}

export {
  __require,
  __commonJS,
  __export,
  __toESM,
  EXIT,
  TinyforgeError,
  isTinyforgeError,
  errorMessage,
  causedBy
};
