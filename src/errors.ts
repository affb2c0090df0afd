// One error type for the whole product. Each surface renders it its own way (CLI exit code +
// message, commit status description, chat message), so the code is the contract, not the text.

export const EXIT = {
  ok: 0,
  deployFailed: 1,
  usage: 2,
  locked: 3,
  unreachable: 4,
  frozen: 5,
} as const;

export type ErrorCode =
  | "config_invalid"
  | "usage"
  | "lock_held"
  | "lock_lost"
  | "host_unreachable"
  | "host_auth_failed"
  | "host_key_unknown"
  | "host_key_changed"
  | "connection_lost"
  | "host_timeout"
  | "docker_unreachable"
  | "health_timeout"
  | "container_exited"
  | "build_failed"
  | "pull_failed"
  | "deploy_failed"
  | "release_failed"
  | "bake_failed"
  | "not_found"
  | "checkout_refused"
  | "frozen";

const exitByCode: Record<ErrorCode, number> = {
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
  frozen: EXIT.frozen,
};

export class TinyforgeError extends Error {
  readonly code: ErrorCode;
  /** What the user should do next; printed under the message. */
  readonly hint?: string;
  /** Extra lines (e.g. every config error), printed one per line. */
  readonly details: readonly string[];
  /**
   * Set when the message may carry secrets it could not know to redact (e.g. `docker compose up`
   * output): events, statuses and chat get this generic reason; the full message stays local.
   */
  readonly publicMessage?: string;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; details?: readonly string[]; cause?: unknown; publicMessage?: string } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "TinyforgeError";
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details ?? [];
    this.publicMessage = opts.publicMessage;
  }

  get exitCode(): number {
    return exitByCode[this.code];
  }
}

export function isTinyforgeError(e: unknown): e is TinyforgeError {
  return e instanceof TinyforgeError;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The coded error with `code` that `e` is, or wraps through its `cause` chain (an adapter's context). */
export function causedBy(e: unknown, code: ErrorCode): TinyforgeError | undefined {
  for (let cur = e, depth = 0; cur && depth < 10; cur = (cur as Error).cause, depth++) {
    if (isTinyforgeError(cur) && cur.code === code) return cur;
  }
  return undefined;
}
