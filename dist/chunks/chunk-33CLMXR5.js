import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);

// src/errors.ts
var EXIT = {
  ok: 0,
  deployFailed: 1,
  usage: 2,
  locked: 3,
  unreachable: 4,
  frozen: 5
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
  bake_failed: EXIT.deployFailed,
  not_found: EXIT.usage,
  checkout_refused: EXIT.deployFailed,
  // The stage is frozen (`tinyforge freeze`): nothing was touched; `--force` overrides.
  frozen: EXIT.frozen
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
  EXIT,
  TinyforgeError,
  isTinyforgeError,
  errorMessage,
  causedBy
};
