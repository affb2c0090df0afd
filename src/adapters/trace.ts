// TINYFORGE_TRACE=1: every call through a port (each Docker API call, each proxy call, each file
// on the host) and each connect, timed on stderr, to see where a deploy's time goes. Only the first
// argument is shown, and only as a name (an id, an image ref, a path, a spec's name): a container
// spec carries secret values in its env, a file write its content.

export type TraceWrite = (line: string) => void;

export const traceToStderr: TraceWrite = (line) => process.stderr.write(line);

/** `target` with every method that returns a promise timed under `label`. */
export function traced<T extends object>(target: T, label: string, write: TraceWrite): T {
  return new Proxy(target, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        const r = v.apply(t, args);
        if (!(r instanceof Promise)) return r;
        const done = (how: string) =>
          write(`trace ${at(t0)} ${label}.${String(prop)}(${brief(args[0])}) ${how}${ms(t0)}\n`);
        return r.then(
          (x) => {
            done("");
            return x;
          },
          (e) => {
            done("failed after ");
            throw e;
          },
        );
      };
    },
  });
}

/** Times one call, e.g. the SSH connect. */
export async function timedCall<T>(
  what: string,
  write: TraceWrite | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  if (!write) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    write(`trace ${at(t0)} ${what} ${ms(t0)}\n`);
  }
}

/** When the call began, in ms since the process started: the gaps between calls are the rest. */
function at(t0: number): string {
  return `@${t0.toFixed(0)}`;
}

function ms(t0: number): string {
  return `${(performance.now() - t0).toFixed(1)}ms`;
}

function brief(a: unknown): string {
  if (a === undefined) return "";
  if (typeof a === "number") return String(a);
  if (typeof a === "string") return a.length > 48 ? `${a.slice(0, 45)}…` : a;
  if (a && typeof a === "object") {
    const named =
      (a as { name?: unknown; hostname?: unknown }).name ?? (a as { hostname?: unknown }).hostname;
    if (typeof named === "string") return named;
  }
  return "…";
}
