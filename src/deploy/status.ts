// What serves, per workload+stage(+tag), from the host's state checked against Docker.
import type { BakeMark, DeployRecord } from "../state/model.js";
import { currentLease, leaseAlive } from "./lock.js";
import type { EngineContext } from "./types.js";
import { storeFor } from "./deploy.js";
import { history } from "./history.js";
import { type NodeTasks, serviceTasks } from "../swarm/service.js";

export interface InstanceStatus {
  host: string;
  workload: string;
  stage: string;
  tag: string | null;
  sha: string | null;
  /** The serving release was built from a checkout with changes not in `sha` (--allow-dirty). */
  dirty?: true;
  container: string | null;
  /** running | stopped | missing (state names a container Docker does not have) | none */
  state: "running" | "stopped" | "missing" | "none";
  url: string | null;
  deployId: string | null;
  deployedAt: string | null;
  releases: number;
  /** Several hosts serve this instance, and not the same release (`reconcile` brings them together). */
  split?: true;
  /** On a Swarm manager: the service's tasks on each node. */
  tasks?: NodeTasks[];
  /**
   * The serving release is being baked (its deploy holds the lock until `until`); `previous`
   * still runs and takes the route back if the bake fails. `interrupted`: the deploy that baked
   * it is gone (its lock was given up) and never concluded.
   */
  bake?: BakeMark & { interrupted?: true };
}

export async function status(
  ctx: EngineContext,
  filter: { workload?: string; stage?: string },
): Promise<InstanceStatus[]> {
  const instances = await storeFor(ctx).listInstances();
  const out: InstanceStatus[] = [];
  for (const i of instances) {
    if (filter.workload && i.workload !== filter.workload) continue;
    if (filter.stage && i.stage !== filter.stage) continue;
    const a = i.active;
    const swarm = a && ctx.host.swarm ? await serviceTasks(ctx.host.swarm, a.containerId) : undefined;
    const info = a && !ctx.host.swarm ? await ctx.host.docker.inspect(a.containerId) : swarm;
    out.push({
      host: ctx.host.name,
      workload: i.workload,
      stage: i.stage,
      tag: i.tag ?? null,
      sha: a?.sha ?? null,
      ...(a?.dirty ? { dirty: true as const } : {}),
      container: a?.container ?? null,
      state: !a ? "none" : !info ? "missing" : info.running ? "running" : "stopped",
      url: a?.url ?? null,
      deployId: a?.deployId ?? null,
      deployedAt: a?.deployedAt ?? null,
      releases: (a ? 1 : 0) + i.previous.length,
      ...(swarm ? { tasks: swarm.nodes } : {}),
      ...(i.bake ? { bake: await bakeNow(ctx, i.bake, i.workload, i.stage) } : {}),
    });
  }
  return out;
}

/**
 * The newest deploy recorded for the filter, when nothing serves it: it was torn down (or never
 * got past its first deploy), which is not the same as never deployed.
 */
export async function lastDeploy(
  ctx: EngineContext,
  filter: { workload?: string; stage?: string },
): Promise<DeployRecord | undefined> {
  return (await history(storeFor(ctx), { ...filter, limit: 1 }))[0];
}

/** A bake mark, and whether the deploy that wrote it still holds the lock (else it never concluded). */
async function bakeNow(
  ctx: EngineContext,
  mark: BakeMark,
  workload: string,
  stage: string,
): Promise<BakeMark & { interrupted?: true }> {
  const store = storeFor(ctx);
  const lease = await currentLease(store.files, store.lockDir(workload, stage)).catch(() => undefined);
  const live = lease?.deployId === mark.deployId && leaseAlive(lease, ctx.clock.now());
  return live ? mark : { ...mark, interrupted: true };
}
