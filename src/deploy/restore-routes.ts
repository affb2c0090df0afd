// Routes a proxy lost, put back from the host's state. A Caddy reloaded from its Caddyfile or
// restarted without --resume, an nginx container whose tinyforge directory was not a volume: the
// containers still run, but nothing routes to them. The state names every instance's route, so one
// pass puts them back: no container touched, no image pulled. Each workload+stage is handled under
// its deploy lock, so a deploy or teardown in progress (which sets or removes its own route) is
// never overruled: a held lock is skipped and said.
import { errorMessage } from "../errors.js";
import type { Route } from "../ports/proxy.js";
import type { InstanceState } from "../state/model.js";
import { Store } from "../state/store.js";
import { acquireLock } from "./lock.js";
import { routeHostnames } from "./route-name.js";
import { sameProxy, servingRoute } from "./route-records.js";
import { routeForContainer } from "./run.js";
import type { EngineContext } from "./types.js";

/** How long to wait for a workload+stage's lock before leaving its routes to the deploy holding it. */
const LOCK_WAIT_MS = 2000;

interface Wanted {
  store: Store;
  state: InstanceState;
  route: Route;
}

/** Restores every missing or drifted route; one line per route put back or skipped. */
export async function restoreRoutes(ctx: EngineContext): Promise<string[]> {
  if (ctx.proxy.driver === "none") return [];
  const lost = await lostRoutes(ctx);
  const lines: string[] = [];
  for (const group of byLock(lost)) {
    const { store, state } = group[0]!;
    try {
      lines.push(...(await underLock(ctx, store, state, () => restoreGroup(ctx, group))));
    } catch (e) {
      lines.push(
        `${store.project}/${state.workload}.${state.stage}: routes not restored: ${errorMessage(e)}`,
      );
    }
  }
  return lines;
}

/** Routes the state names that the proxy does not serve as recorded. */
export async function lostRoutes(ctx: EngineContext): Promise<Wanted[]> {
  const lost: Wanted[] = [];
  for (const want of await wantedRoutes(ctx)) {
    if (!sameRoute(await ctx.proxy.get(want.route.hostname), want.route)) lost.push(want);
  }
  return lost;
}

/** The route of every active instance of every project whose state lives on this host. */
async function wantedRoutes(ctx: EngineContext): Promise<Wanted[]> {
  const wanted: Wanted[] = [];
  for (const project of (await ctx.host.files.list(ctx.config.state_dir)).sort()) {
    const store = new Store(ctx.host.files, ctx.config.state_dir, project);
    for (const state of await store.listInstances().catch(() => [])) {
      const route = routeOfState(ctx, state);
      if (route) wanted.push({ store, state, route });
    }
  }
  return wanted;
}

/**
 * This project's routes follow its config (as reconcile does); other projects' come as their
 * deploys recorded them (route-records), and only when recorded on this very proxy.
 */
function routeOfState(ctx: EngineContext, state: InstanceState): Route | undefined {
  const active = state.active;
  if (!active) return undefined;
  const w = ctx.config.workloads[state.workload];
  if (state.project === ctx.config.project && w) {
    return routeForContainer(ctx, w, routeHostnames(ctx.config, state), {
      name: active.container,
      hostPort: active.hostPort,
    });
  }
  const serving = servingRoute(state);
  return serving && sameProxy(serving.proxy, ctx.config.proxy) ? serving.route : undefined;
}

async function restoreGroup(ctx: EngineContext, group: Wanted[]): Promise<string[]> {
  const lines: string[] = [];
  for (const { store, state } of group) {
    // Read again under the lock: a deploy may have finished since the first look.
    const now = await store.readInstance(state.key);
    const route = now && routeOfState(ctx, now);
    if (!route || sameRoute(await ctx.proxy.get(route.hostname), route)) continue;
    await ctx.proxy.upsert(route);
    lines.push(
      `${store.project}/${state.key}: route ${route.hostname} restored → ${route.upstream.host}:${route.upstream.port}`,
    );
  }
  return lines;
}

/**
 * Runs fn under the workload+stage's deploy lock on this host; a lock still held after a short
 * wait is a deploy in progress, which sets its own routes: one line says it was left to it.
 */
export async function underLock(
  ctx: EngineContext,
  store: Store,
  state: { workload: string; stage: string },
  fn: () => Promise<string[]>,
): Promise<string[]> {
  let lock: Awaited<ReturnType<typeof acquireLock>>;
  try {
    lock = await acquireLock(
      store.files,
      store.lockDir(state.workload, state.stage),
      { owner: ctx.owner, deployId: "restore-routes" },
      { ttlMs: ctx.lockTtlMs, waitMs: LOCK_WAIT_MS, clock: ctx.clock },
    );
  } catch (e) {
    if ((e as { code?: string }).code !== "lock_held") throw e;
    return [
      `${store.project}/${state.workload}.${state.stage}: skipped, a deploy holds its lock and sets its own route`,
    ];
  }
  try {
    return await fn();
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** One group per lock (project + workload + stage). */
function byLock(wanted: Wanted[]): Wanted[][] {
  const groups = new Map<string, Wanted[]>();
  for (const w of wanted) {
    const key = `${w.store.project}\0${w.state.workload}\0${w.state.stage}`;
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  return [...groups.values()];
}

function sameRoute(a: Route | undefined, b: Route): boolean {
  return a?.upstream.host === b.upstream.host && a?.upstream.port === b.upstream.port;
}
