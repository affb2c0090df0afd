// What serves, per workload+stage(+tag), from the host's state checked against Docker.
import type { EngineContext } from "./types.js";
import { storeFor } from "./deploy.js";

export interface InstanceStatus {
  host: string;
  workload: string;
  stage: string;
  tag: string | null;
  sha: string | null;
  container: string | null;
  /** running | stopped | missing (state names a container Docker does not have) | none */
  state: "running" | "stopped" | "missing" | "none";
  url: string | null;
  deployId: string | null;
  deployedAt: string | null;
  releases: number;
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
    const info = a ? await ctx.host.docker.inspect(a.containerId) : undefined;
    out.push({
      host: ctx.host.name,
      workload: i.workload,
      stage: i.stage,
      tag: i.tag ?? null,
      sha: a?.sha ?? null,
      container: a?.container ?? null,
      state: !a ? "none" : !info ? "missing" : info.running ? "running" : "stopped",
      url: a?.url ?? null,
      deployId: a?.deployId ?? null,
      deployedAt: a?.deployedAt ?? null,
      releases: (a ? 1 : 0) + i.previous.length,
    });
  }
  return out;
}
