// Reading a project's deploy history and events back from the host.
import type { DeployEvent, DeployRecord } from "../state/model.js";
import type { Store } from "../state/store.js";
import { currentLease, leaseAlive } from "./lock.js";

export interface HistoryQuery {
  /** Every workload's deploys when absent. */
  workload?: string;
  stage?: string;
  limit: number;
  /** Page: only deploys older than this id (ULIDs sort by time). */
  before?: string;
}

export async function history(store: Store, q: HistoryQuery): Promise<DeployRecord[]> {
  const out: DeployRecord[] = [];
  for (const id of await store.listDeployIds()) {
    if (q.before && id >= q.before) continue;
    const rec = await store.readDeploy(id);
    if (!rec || (q.workload && rec.workload !== q.workload) || (q.stage && rec.stage !== q.stage)) continue;
    out.push(rec);
    if (out.length >= q.limit) break;
  }
  return out;
}

/** True while the deploy's process holds its lock: a "running" record whose holder died is not. */
export async function stillRunning(store: Store, rec: DeployRecord): Promise<boolean> {
  if (rec.outcome !== "running") return false;
  const lease = await currentLease(store.files, store.lockDir(rec.workload, rec.stage));
  // A lease that stopped beating is a dead holder's, whatever it says.
  return lease !== undefined && lease.deployId === rec.deployId && leaseAlive(lease, Date.now());
}

export function eventLine(e: DeployEvent): string {
  return `${e.ts} ${e.level.padEnd(5)} ${e.step.padEnd(13)} ${e.msg}`;
}

export type { DeployEvent };
