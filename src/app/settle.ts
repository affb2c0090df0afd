// After the process that ran a deploy is gone (the bot restarted), what became of it: its record
// on the host says. A record still "running" is a dead holder's: under the workload+stage lock
// (taken over once the lease goes stale) reconcile marks it interrupted and puts the host right;
// then the instance's active release says whether the new one serves. No record: it never reached
// the host, and the caller may run it.
import { storeFor } from "../deploy/deploy.js";
import { withLock } from "../deploy/locked.js";
import { markInterrupted } from "../deploy/interrupted.js";
import { reconcile } from "../deploy/reconcile.js";
import type { DeployResult } from "../deploy/types.js";
import type { Release, DeployRecord } from "../state/model.js";
import type { Store } from "../state/store.js";
import { instanceKey } from "../plan/names.js";
import type { SettleOp } from "./operation.js";
import { engineContext, forEachHost, type Session } from "./session.js";
import { allHosts } from "./stages.js";

export async function settle(s: Session, op: SettleOp): Promise<DeployResult | undefined> {
  let out: DeployResult | undefined;
  await forEachHost(s, allHosts(s.config), async (host) => {
    const ctx = engineContext(s, host);
    const store = storeFor(ctx);
    let rec = await store.readDeploy(op.deployId);
    if (!rec) return true;
    const scope = { workload: rec.workload, stage: rec.stage };
    if (rec.outcome === "running") {
      await withLock(ctx, store, scope, async (lock) => {
        await reconcile(ctx, store, { ...scope, interrupted: lock.tookOver });
        // It released its lease but died before writing its outcome: no lease to take over.
        const now = await store.readDeploy(op.deployId);
        if (now?.outcome === "running")
          await markInterrupted(store, {
            owner: "a process that stopped",
            deployId: now.deployId,
            acquiredAt: now.startedAt,
            expiresAt: 0,
            ttlMs: 0,
            beat: 0,
          });
      });
      rec = (await store.readDeploy(op.deployId)) ?? rec;
    }
    const active = await activeRelease(store, rec);
    out = resultOf(rec, active, host.name);
    return false;
  });
  return out;
}

async function activeRelease(store: Store, rec: DeployRecord): Promise<Release | undefined> {
  const key = instanceKey({ workload: rec.workload, stage: rec.stage, tag: rec.tag });
  return (await store.readInstance(key))?.active;
}

/** The record as the result a deploy would have answered; an interrupted one by what serves now. */
export function resultOf(rec: DeployRecord, active: Release | undefined, host: string): DeployResult {
  const base = {
    deployId: rec.deployId,
    workload: rec.workload,
    stage: rec.stage,
    tag: rec.tag ?? null,
    sha: rec.sha,
    strategy: rec.strategy,
    host,
    durationMs: rec.durationMs ?? 0,
    servedMs: null,
    steps: rec.steps,
    ...(rec.rollback ? { rollback: rec.rollback } : {}),
  };
  if (rec.outcome === "success" || rec.outcome === "failed" || rec.outcome === "unchanged")
    return {
      ...base,
      outcome: rec.outcome,
      url: rec.url ?? null,
      container: rec.container ?? null,
      previous: rec.previous ?? null,
      error: rec.error ?? null,
    };
  // Interrupted after its release was persisted as active: the new release serves.
  if (active?.deployId === rec.deployId)
    return {
      ...base,
      outcome: "success",
      url: active.url ?? null,
      container: active.container,
      previous: rec.previous ?? null,
      error: null,
    };
  const during = rec.step ? ` during "${rec.step}"` : "";
  return {
    ...base,
    outcome: "failed",
    url: null,
    container: null,
    previous: active?.container ?? null,
    error: {
      code: "interrupted",
      message: `interrupted${during} when its process stopped; ${active ? `${active.container} still serves` : "nothing serves"}`,
      hint: "deploy it again",
    },
  };
}
