// "Pending" as soon as a trigger is known to be valid: the bot announces a deploy when the config
// at its SHA is read, before SSH, the queue and the lock. The observers it hands on send nothing
// twice: the engine's `started` is the one already sent, and every later call (steps, the
// outcome) waits for it, so "pending" still lands before "success".
import type { DeployHooks } from "./hooks.js";
import type { DeployInfo, DeployResult } from "./types.js";

export function announce(hooks: readonly DeployHooks[], info: DeployInfo): DeployHooks[] {
  return hooks.map((h) => {
    const sent = Promise.resolve().then(() => h.started?.(info));
    // Its failure is told by the engine's started (a warning in the deploy's events); the rest go on.
    const after = sent.catch(() => undefined);
    return {
      name: h.name,
      notice: h.notice,
      started: () => sent,
      ...(h.step ? { step: (i, s) => after.then(() => h.step?.(i, s)) } : {}),
      ...(h.finished ? { finished: (i, r) => after.then(() => h.finished?.(i, r)) } : {}),
    } satisfies DeployHooks;
  });
}

/**
 * The outcome for an announced deploy that never ran: a newer push replaced it in the queue
 * (`superseded`, not a failure), or it failed before reaching the engine (`error`: the host
 * could not be opened, say).
 */
export function notRun(info: DeployInfo, error?: { code: string; message: string }): DeployResult {
  return {
    deployId: info.deployId,
    workload: info.workload,
    stage: info.stage,
    tag: info.tag,
    sha: info.sha,
    strategy: info.strategy,
    outcome: error ? "failed" : "superseded",
    url: null,
    container: null,
    previous: null,
    host: info.host,
    durationMs: 0,
    servedMs: null,
    steps: [],
    error: error ?? null,
  };
}
