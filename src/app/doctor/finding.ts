// What `doctor` says about one thing it checked, and the two helpers every check shares: a bound
// on its time (a check that hangs is a finding, not a hang) and turning a failure into a finding
// with the hint the error carries, or the check's own.
import { errorMessage, isTinyforgeError, TinyforgeError } from "../../errors.js";

export type Verdict = "ok" | "problem" | "skipped";

export interface Finding {
  /** The `hosts:` entry checked, or "forge". */
  scope: string;
  /** "ssh", "host key", "docker", "disk", "proxy", "registry", "state dir", "lock", "forge token". */
  check: string;
  verdict: Verdict;
  detail: string;
  /** What to do about a problem. */
  hint?: string;
}

/** Each check gets this long at most; SSH's own connect bound comes on top for the login. */
export const CHECK_TIMEOUT_MS = 20_000;

export function bounded<T>(what: string, fn: () => Promise<T>, ms = CHECK_TIMEOUT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new TinyforgeError("host_timeout", `${what}: no answer within ${Math.round(ms / 1000)}s`, {
            hint: "the host or the service is overloaded or the connection stalled; run doctor again",
          }),
        ),
      ms,
    );
    fn().then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export type Outcome = Pick<Finding, "verdict" | "detail" | "hint">;

export const ok = (detail: string): Outcome => ({ verdict: "ok", detail });
export const problem = (detail: string, hint: string): Outcome => ({ verdict: "problem", detail, hint });
export const skipped = (detail: string): Outcome => ({ verdict: "skipped", detail });

/** Runs one check within its bound; a failure is a problem with the error's hint, else `hint`. */
export async function attempt(
  scope: string,
  check: string,
  hint: string,
  fn: () => Promise<Outcome>,
): Promise<Finding> {
  try {
    return { scope, check, ...(await bounded(`${scope}: ${check}`, fn)) };
  } catch (e) {
    const own = isTinyforgeError(e) ? e.hint : undefined;
    return { scope, check, verdict: "problem", detail: errorMessage(e), hint: own ?? hint };
  }
}
