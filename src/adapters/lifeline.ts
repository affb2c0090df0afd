// Everything a deploy does on a remote host rides one SSH connection. When that connection dies
// (closed, reset, or silent past its keepalive), ssh2 leaves some callbacks uncalled forever (an
// SFTP request, a channel open on a dead socket): a deploy awaiting one would never end. The
// lifeline is the one place that knows the connection is gone: every remote call goes through
// guard(), which rejects at once with a coded error when the connection drops, and also when a
// call simply takes longer than its bound.
import { TinyforgeError } from "../errors.js";

export interface GuardOptions {
  /** Give up on the call after this long (the connection itself may be fine). */
  timeoutMs?: number;
  /** What the call was, for the timeout message: "docker start", "sftp read". */
  what?: string;
}

export type Bounds<T> = Partial<Record<keyof T, number | ((...args: never[]) => number)>>;

export class Lifeline {
  private lostError?: TinyforgeError;
  private readonly waiting = new Set<(e: TinyforgeError) => void>();

  /** `name` goes in front of every message: "host 203.0.113.10". */
  constructor(private readonly name: string) {}

  get lost(): TinyforgeError | undefined {
    return this.lostError;
  }

  /** A new connection replaced the lost one: calls go through again (pending ones were rejected). */
  revive(): void {
    this.lostError = undefined;
  }

  /** The connection is gone: every pending and later call rejects with this reason. */
  cut(reason: string): void {
    if (this.lostError) return;
    this.lostError = new TinyforgeError(
      "connection_lost",
      `${this.name}: the SSH connection closed (${reason})`,
      {
        hint: "the next deploy (or `tinyforge reconcile`) puts right whatever this one left half done",
      },
    );
    for (const reject of [...this.waiting]) reject(this.lostError);
    this.waiting.clear();
  }

  /**
   * Settles when `call` does, or rejects as soon as the connection is lost or the bound passes.
   * An answer that arrives after the connection dropped is not trusted: it rejects too.
   */
  guard<T>(call: () => Promise<T>, opts: GuardOptions = {}): Promise<T> {
    if (this.lostError) return Promise.reject(this.lostError);
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (fn: () => void) => {
        if (!this.waiting.delete(onCut)) return;
        clearTimeout(timer);
        fn();
      };
      const onCut = (e: TinyforgeError) => {
        clearTimeout(timer);
        reject(e);
      };
      this.waiting.add(onCut);
      if (opts.timeoutMs !== undefined) {
        timer = setTimeout(
          () =>
            settle(() =>
              reject(
                new TinyforgeError(
                  "host_timeout",
                  `${this.name}: ${opts.what ?? "a call"} got no answer within ${Math.round(opts.timeoutMs! / 1000)}s`,
                  { hint: "check that dockerd and sshd on the host respond (load, disk, a daemon restart)" },
                ),
              ),
            ),
          opts.timeoutMs,
        );
      }
      let p: Promise<T>;
      try {
        p = call();
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(
        (v) => settle(() => (this.lostError ? reject(this.lostError) : resolve(v))),
        (e) => settle(() => reject(this.lostError ?? e)),
      );
    });
  }

  /**
   * `target` with every method guarded (all its methods must return promises). `bounds` gives
   * per-method timeouts in ms, or a function of the call's arguments (a stop waits its own timeout).
   */
  wrap<T extends object>(target: T, bounds: Bounds<T> = {}, label = ""): T {
    return new Proxy(target, {
      get: (obj, prop, receiver) => {
        const v = Reflect.get(obj, prop, receiver);
        if (typeof v !== "function") return v;
        const bound = bounds[prop as keyof T];
        const what = `${label}${String(prop)}`;
        return (...args: unknown[]) =>
          this.guard(() => Promise.resolve(v.apply(obj, args)), {
            timeoutMs: typeof bound === "function" ? (bound as (...a: unknown[]) => number)(...args) : bound,
            what,
          });
      },
    });
  }
}
