// Reconcile: make the host agree with its state file, which is the truth (the swap persists the
// new release BEFORE it reaps the old one, so whatever a crash interrupted, the state names a
// container that exists). Per instance: bring the active container back if it is stopped (a
// recreate cut short), remove every other container of the instance (orphan greens, a replaced
// blue), and repoint the route if it drifted. Instances with no active release lose their
// containers and route. Runs at the start of every deploy, under that deploy's lock.
import { own } from "../config/lookup.js";
import { errorMessage } from "../errors.js";
import { fromLabels, LABEL, labelFilter, RELEASE_ROLE } from "../plan/labels.js";
import type { ContainerInfo } from "../ports/docker.js";
import type { InstanceState, Release } from "../state/model.js";
import type { Store } from "../state/store.js";
import { markInterrupted } from "./interrupted.js";
import type { Lease } from "./lock.js";
import { routeHostname, routeHostnames } from "./route-name.js";
import { currentRoute, dropStaleRoutes } from "./route-records.js";
import { routeForContainer } from "./run.js";
import type { EngineContext } from "./types.js";

export interface ReconcileScope {
  workload?: string;
  stage?: string;
  /** A dead holder's lease the caller's lock replaced: its deploy's record is marked interrupted. */
  interrupted?: Lease;
}

function sameUpstream(
  a: { host: string; port: number } | undefined,
  b: { host: string; port: number } | undefined,
): boolean {
  return a?.host === b?.host && a?.port === b?.port;
}

/** Returns what it did, one line per action; empty when all was in order. */
export async function reconcile(
  ctx: EngineContext,
  store: Store,
  scope: ReconcileScope = {},
): Promise<string[]> {
  return (await reconcileScope(ctx, store, scope)).lines;
}

export interface Reconciled {
  /** What it did, one line per action. */
  lines: string[];
  /** The scope's instance states as they are on the host now (a key without one has no file)… */
  states: InstanceState[];
  /** …except these keys: their reconcile failed partway, their file is to be read again. */
  unsure: Set<string>;
  /** The container each instance's active release runs in, as Docker described it (never swarm's). */
  serving: Map<string, ContainerInfo>;
}

/** Reconciles, and says what the scope's state files hold afterwards (a deploy reads its own). */
export async function reconcileScope(
  ctx: EngineContext,
  store: Store,
  scope: ReconcileScope = {},
): Promise<Reconciled> {
  const { docker } = ctx.host;
  const project = ctx.config.project;
  // Swarm reconciles its own services (it restarts tasks, it finishes or rolls back updates): the
  // containers there are its tasks, not ours to remove.
  const swarm = Boolean(ctx.host.swarm);
  // The state files and the containers are read side by side: every deploy starts here.
  const [all, containers] = await Promise.all([
    store.listInstances(),
    swarm
      ? Promise.resolve([])
      : docker.list(labelFilter({ project, workload: scope.workload, stage: scope.stage })),
  ]);
  const states = all.filter(
    (s) => (!scope.workload || s.workload === scope.workload) && (!scope.stage || s.stage === scope.stage),
  );
  const actions: string[] = [];
  if (scope.interrupted) {
    const line = await markInterrupted(store, scope.interrupted).catch(
      (e) => `could not mark: ${errorMessage(e)}`,
    );
    if (line) actions.push(line);
  }
  // Reconcile holds the lock, so a bake mark left in a state is a bake whose deploy died: its
  // release was never judged and keeps serving (the old one goes below, like any replaced blue).
  for (const [i, st] of states.entries()) {
    if (!st.bake) continue;
    const { bake, ...rest } = st;
    states[i] = rest;
    await store.writeInstance(rest);
    actions.push(
      `${st.key}: the bake of deploy ${bake.deployId} never concluded; ${st.active?.container ?? "its release"} keeps serving`,
    );
  }
  const unsure = new Set<string>();
  const serving = new Map<string, ContainerInfo>();
  if (swarm) return { lines: actions, states, unsure, serving };
  // A release step's container still here is orphaned: its deploy no longer holds the lock we do.
  for (const c of containers.filter((c) => c.labels[LABEL.role] === RELEASE_ROLE)) {
    try {
      await docker.remove(c.id);
      actions.push(`${c.labels[LABEL.instance] ?? c.name}: removed ${c.name} (a release step left behind)`);
    } catch (e) {
      actions.push(`${c.name}: could not remove it: ${errorMessage(e)}`);
    }
  }
  const byKey = new Map<string, ContainerInfo[]>();
  for (const c of containers) {
    const key = c.labels[LABEL.instance];
    if (!key || c.labels[LABEL.role] === RELEASE_ROLE) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }
  const keys = new Set([...states.map((s) => s.key), ...byKey.keys()]);
  for (const key of [...keys].sort()) {
    const state = states.find((s) => s.key === key);
    const found = byKey.get(key) ?? [];
    const wrote = (next: InstanceState) => {
      states.splice(states.indexOf(state!), 1, next);
    };
    const serves = (info: ContainerInfo) => {
      serving.set(key, info);
    };
    try {
      actions.push(...(await reconcileInstance(ctx, store, key, state, found, wrote, serves)));
    } catch (e) {
      unsure.add(key);
      serving.delete(key);
      actions.push(`${key}: could not reconcile: ${errorMessage(e)}`);
    }
  }
  return { lines: actions, states, unsure, serving };
}

async function reconcileInstance(
  ctx: EngineContext,
  store: Store,
  key: string,
  state: InstanceState | undefined,
  found: ContainerInfo[],
  /** Told the state written over `state`'s file. */
  wrote: (next: InstanceState) => void,
  /** Told the container the active release runs in, once it is put right. */
  serves: (info: ContainerInfo) => void,
): Promise<string[]> {
  const { docker } = ctx.host;
  const actions: string[] = [];
  let active: Release | undefined = state?.active;
  // A running active container is among those just listed (it carries the instance's labels), and
  // its row says all this needs (name, running, port): one Docker round trip fewer on every deploy.
  // Any other state (stopped, paused, gone, relabelled by hand) is asked of Docker.
  const listed = active && found.find((c) => c.id === active?.containerId && c.running);
  let info = listed || (active ? await docker.inspect(active.containerId) : undefined);

  if (state && active && !info) {
    // The state names a container that is gone (removed by hand?): adopt the newest running one of
    // the instance if there is one, rather than serve nothing.
    const adopt = found.filter((c) => c.running).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    const id = adopt && fromLabels(adopt.labels);
    if (adopt && id) {
      active = {
        ...active,
        deployId: id.deployId,
        sha: id.sha,
        image: adopt.image,
        container: adopt.name,
        containerId: adopt.id,
        hostPort: adopt.hostPort,
      };
      info = await docker.inspect(adopt.id);
      actions.push(
        `${key}: ${state.active?.container} is gone; adopted ${adopt.name} (${id.sha.slice(0, 12)})`,
      );
    } else {
      actions.push(`${key}: ${active.container} is gone and nothing else runs; deploy again to restore it`);
    }
  }

  // Others first: a recreate's new container holds the port the old one must get back.
  for (const c of found) {
    if (info && c.id === info.id) continue;
    await docker.stop(c.id, 1);
    await docker.remove(c.id);
    actions.push(`${key}: removed ${c.name} (not the active release)`);
  }

  if (active && info && !info.running) {
    // A recreate cut short leaves the old container stopped and renamed aside: bring it back.
    if (info.name !== active.container) await docker.rename(info.id, active.container);
    await docker.start(info.id);
    info = await docker.inspect(info.id);
    actions.push(`${key}: restarted ${active.container}`);
  }

  if (state && active && info) {
    serves(info);
    const moved = info.hostPort !== active.hostPort || active.containerId !== state.active?.containerId;
    const w = own(ctx.config.workloads, state.workload);
    const hostname = routeHostname(ctx.config, state);
    const route = w
      ? routeForContainer(ctx, w, routeHostnames(ctx.config, state), {
          name: active.container,
          hostPort: info.hostPort,
        })
      : undefined;
    if (route && ctx.proxy.driver !== "none") {
      const current = await ctx.proxy.get(hostname);
      if (!sameUpstream(current?.upstream, route.upstream)) {
        await ctx.proxy.upsert(route);
        actions.push(`${key}: route ${hostname} repointed to ${route.upstream.host}:${route.upstream.port}`);
      }
    }
    // The route is on the configured proxy now: remove it from any proxy it was recorded on before.
    const current = currentRoute(ctx.config, route);
    const stale = await dropStaleRoutes(ctx, state, current);
    actions.push(...stale.lines);
    const routesChanged = JSON.stringify(stale.routes) !== JSON.stringify(state.routes ?? []);
    if (moved || routesChanged) {
      const url = route ? ctx.proxy.url(route) : active.url;
      const next = {
        ...active,
        ...(info.hostPort !== undefined ? { hostPort: info.hostPort } : {}),
        ...(url ? { url } : {}),
      };
      const written = {
        ...state,
        active: next,
        routes: stale.routes,
        updatedAt: new Date(ctx.clock.now()).toISOString(),
      };
      await store.writeInstance(written);
      wrote(written);
    }
  } else if (!active && ctx.proxy.driver !== "none") {
    // Nothing serves this instance: a route left by a first deploy cut short must not point at a
    // removed container.
    const who = state ?? fromLabels(found[0]?.labels);
    if (!who) return actions;
    const hostname = routeHostname(ctx.config, who);
    if (await ctx.proxy.get(hostname)) {
      await ctx.proxy.remove(hostname);
      actions.push(`${key}: removed route ${hostname} (nothing serves it)`);
    }
  }
  return actions;
}
