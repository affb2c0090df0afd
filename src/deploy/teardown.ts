// Removing an instance (one workload+stage+tag) cleanly: its containers, its route, its state —
// by hand (`tinyforge teardown`), or when max_instances evicts the oldest tag of a stage.
import { labelFilter, LABEL } from "../plan/labels.js";
import type { InstanceState } from "../state/model.js";
import type { Store } from "../state/store.js";
import { containerBaseName, serviceName } from "../plan/names.js";
import { own } from "../config/lookup.js";
import { composeArgv, composeCommand } from "./compose.js";
import { composeDirOf } from "./compose-dir.js";
import { routeHostname } from "./route-name.js";
import { removeService } from "../swarm/service.js";
import type { EngineContext } from "./types.js";

export async function teardownInstance(
  ctx: EngineContext,
  store: Store,
  who: { workload: string; stage: string; tag?: string; key: string },
): Promise<string[]> {
  const { docker } = ctx.host;
  const done: string[] = [];
  const containers = (
    await docker.list(labelFilter({ project: ctx.config.project, workload: who.workload, stage: who.stage }))
  ).filter((c) => c.labels[LABEL.instance] === who.key);
  // Route first: traffic must stop reaching a container before the container goes.
  if (ctx.proxy.driver !== "none") {
    const hostname = routeHostname(ctx.config, {
      project: ctx.config.project,
      workload: who.workload,
      stage: who.stage,
      tag: who.tag,
    });
    if (await ctx.proxy.get(hostname)) {
      await ctx.proxy.remove(hostname);
      done.push(`removed route ${hostname}`);
    }
  }
  const w = own(ctx.config.workloads, who.workload);
  const active = (await store.readInstance(who.key))?.active;
  const dir = active ? composeDirOf(active) : undefined;
  if (w?.source === "compose" && dir) {
    // The stack owns its containers (they carry compose's labels, not ours): compose takes it down.
    const project = containerBaseName({
      project: ctx.config.project,
      workload: who.workload,
      stage: who.stage,
      tag: who.tag,
    });
    const r = await ctx.host.exec(
      composeArgv(await composeCommand(ctx.host), project, dir, w.compose_file ?? "docker-compose.yml", [
        "down",
      ]),
    );
    done.push(
      r.code === 0 ? `compose stack ${project} down` : `compose down of ${project} failed (exit ${r.code})`,
    );
  }
  // On a Swarm manager the instance is a service: removing it stops its tasks on every node.
  if (ctx.host.swarm) {
    const owner = { project: ctx.config.project, key: who.key };
    const name = serviceName({ project: ctx.config.project, ...who });
    done.push(...(await removeService(ctx.host.swarm, name, owner)));
    // A service deployed before names were unambiguous (project-workload-stage), as recorded.
    if (active && active.container !== name)
      done.push(...(await removeService(ctx.host.swarm, active.container, owner)));
  }
  const stopSec = Math.ceil((w?.stop_timeout ?? 10_000) / 1000);
  for (const c of containers) {
    await docker.stop(c.id, stopSec);
    await docker.remove(c.id);
    done.push(`removed ${c.name}`);
  }
  await store.removeInstance(who.key);
  return done;
}

/**
 * Which instances of a workload+stage a deploy of `keep` evicts to stay within `limit`: the oldest
 * beyond the newest `limit - 1` others. Pure: `plan` shows it, `evictOldest` does it.
 */
export function toEvict(
  instances: readonly InstanceState[],
  scope: { workload: string; stage: string; keep: string; limit: number },
): InstanceState[] {
  // deployedAt, then the deploy id (a time-ordered ULID) for deploys within one millisecond.
  const newestFirst = (a: InstanceState, b: InstanceState) =>
    (b.active?.deployedAt ?? "").localeCompare(a.active?.deployedAt ?? "") ||
    (b.active?.deployId ?? "").localeCompare(a.active?.deployId ?? "");
  return instances
    .filter((s) => s.workload === scope.workload && s.stage === scope.stage && s.key !== scope.keep)
    .sort(newestFirst)
    .slice(Math.max(0, scope.limit - 1));
}

/** Keeps the newest `limit` instances of a workload+stage, never evicting `keep` (just deployed). */
export async function evictOldest(
  ctx: EngineContext,
  store: Store,
  scope: { workload: string; stage: string; keep: string; limit: number },
): Promise<string[]> {
  const evicted: string[] = [];
  for (const s of toEvict(await store.listInstances(), scope)) {
    const lines = await teardownInstance(ctx, store, s);
    evicted.push(
      `evicted ${s.key} (max_instances ${scope.limit}): ${lines.join(", ") || "nothing left to remove"}`,
    );
  }
  return evicted;
}
