// `logs WORKLOAD`: the serving container's own output, redacted line by line, read once or
// followed until the container stops, the caller aborts, or the connection drops (an error).
import { redactingLines } from "../events/redact-stream.js";
import type { Store } from "../state/store.js";
import { type InstanceRef, servingRelease } from "./serving.js";
import type { EngineContext } from "./types.js";

export interface AppLogOptions {
  follow: boolean;
  tail?: number;
  sinceSec?: number;
  signal?: AbortSignal;
}

export interface TextOut {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Writes the output; returns the container it came from. */
export async function appLogs(
  ctx: EngineContext,
  store: Store,
  who: InstanceRef,
  opts: AppLogOptions,
  io: TextOut,
): Promise<string> {
  const release = await servingRelease(ctx, store, who);
  const stdout = redactingLines(ctx.redact, io.out);
  const stderr = redactingLines(ctx.redact, io.err);
  try {
    await ctx.host.docker.streamLogs(release.containerId, opts, { stdout, stderr });
  } finally {
    await Promise.all([ended(stdout), ended(stderr)]);
  }
  return release.container;
}

function ended(w: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => w.end(resolve));
}
