// A deploy that did not finish: its process lost the host's connection mid-way, or died. History
// says `interrupted` (never `running` forever), with the step it reached; the host is put right by
// reconcile, either at once (this process reconnects) or by the next deploy under the same lock.
import { errorMessage, TinyforgeError } from "../errors.js";
import type { Journal } from "../events/journal.js";
import type { DeployRecord } from "../state/model.js";
import type { Store } from "../state/store.js";
import { type Lease, ourLease } from "./lock.js";
import { reconcile } from "./reconcile.js";
import type { EngineContext } from "./types.js";

/** The step a deploy was in when it stopped: the last one its journal shows starting. */
async function stepReached(store: Store, deployId: string): Promise<string | undefined> {
  const events = await store.readEvents(deployId).catch(() => []);
  return events.reverse().find((e) => e.msg === "started")?.step;
}

/** Marks the record of a deploy whose lock holder is gone (a lease we took over) as interrupted. */
export async function markInterrupted(store: Store, dead: Lease): Promise<string | undefined> {
  const rec = await store.readDeploy(dead.deployId);
  if (rec?.outcome !== "running") return undefined;
  const step = (await stepReached(store, rec.deployId)) ?? rec.steps.at(-1)?.name;
  await store.writeDeploy({
    ...rec,
    outcome: "interrupted",
    ...(step ? { step } : {}),
    error: {
      code: "interrupted",
      message: `its process (${dead.owner}) stopped${step ? ` during "${step}"` : ""} and never finished`,
    },
  });
  return `deploy ${rec.deployId} was interrupted${step ? ` during "${step}"` : ""}: recorded as interrupted`;
}

export interface LostDeploy {
  ctx: EngineContext;
  store: Store;
  journal: Journal;
  record: DeployRecord;
  scope: { workload: string; stage: string };
  /** The instance's state key, to say what serves afterwards. */
  key: string;
  /** False when the connection dropped while taking the lock: a lease of ours may sit there. */
  holdsLock: boolean;
  /** The step that was running when the connection dropped. */
  step: string;
  /** Blue-green before its route step: nothing the old release depends on was touched yet. */
  oldUntouched: boolean;
  cause: TinyforgeError;
}

/**
 * The SSH connection dropped mid-deploy. Log in again once (bounded like any login); if that
 * works and this deploy still holds its lock, reconcile (the old release serves again, the half
 * started one goes), record `interrupted` and let the caller release the lock. Returns the error
 * to report: one line naming the host, the step and what serves now.
 */
export async function afterConnectionLost(d: LostDeploy): Promise<TinyforgeError> {
  const { ctx, store, record, step } = d;
  const where = `host ${ctx.host.address}: the SSH connection closed during "${step}"`;
  const fail = (what: string) =>
    new TinyforgeError("connection_lost", `${where}; ${what}`, { hint: d.cause.hint, cause: d.cause });
  try {
    if (!ctx.host.reconnect) throw d.cause;
    await ctx.host.reconnect();
  } catch (e) {
    d.journal.warn("deploy", `could not reconnect: ${errorMessage(e)}`);
    return fail(
      d.oldUntouched
        ? "the previous release still serves"
        : "the host cannot be reached again to check what serves: run `tinyforge reconcile` once it answers",
    );
  }
  try {
    const lease = await ourLease(
      store.files,
      store.lockDir(d.scope.workload, d.scope.stage),
      record.deployId,
    );
    // Only under our own lock: another deploy may have taken a lease that went stale meanwhile.
    if (lease) {
      for (const line of await reconcile(ctx, store, d.scope)) d.journal.warn("reconcile", line);
    }
    await store.writeDeploy({
      ...record,
      outcome: "interrupted",
      step,
      finishedAt: new Date(ctx.clock.now()).toISOString(),
      durationMs: ctx.clock.now() - Date.parse(record.startedAt),
      error: { code: "connection_lost", message: `the SSH connection closed during "${step}"` },
    });
    if (lease && !d.holdsLock) await store.files.remove(lease);
    const active = (await store.readInstance(d.key))?.active;
    return fail(
      !active
        ? "nothing served before and nothing serves now"
        : active.deployId === record.deployId
          ? "the new release serves"
          : "the previous release still serves",
    );
  } catch (e) {
    d.journal.warn("deploy", `could not clean up after the lost connection: ${errorMessage(e)}`);
    return fail("run `tinyforge reconcile` to put the host right");
  }
}
