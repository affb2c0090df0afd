// The pieces both strategies share: start a container from the plan, gate it, point the route
// at it, and persist it as the active release. Each is one step of the deploy.
import type { WorkloadConfig } from "../config/schema.js";
import { errorMessage } from "../errors.js";
import type { Journal } from "../events/journal.js";
import { containerSpec } from "../plan/container.js";
import { instanceNetworks } from "../plan/accessory.js";
import { LABEL, labelsFor } from "../plan/labels.js";
import { routeFor } from "../plan/route.js";
import { serviceRoute } from "../plan/swarm-service.js";
import type { Route } from "../ports/proxy.js";
import type { InstanceState, Release } from "../state/model.js";
import type { Store } from "../state/store.js";
import { composeDirOf } from "./compose-dir.js";
import { type GateTarget, httpGate, livenessGate } from "./gate.js";
import { ensureOwnNetwork } from "./networks.js";
import { currentRoute, withRoute } from "./route-records.js";
import type { Steps } from "./steps.js";
import type { DeployRequest, EngineContext } from "./types.js";

export interface Run {
  ctx: EngineContext;
  req: DeployRequest & { deployId: string };
  w: WorkloadConfig;
  steps: Steps;
  journal: Journal;
  store: Store;
  state: InstanceState;
  image: string;
  /** The route's main name (its URL). */
  hostname: string;
  /** Every name the instance is routed on, the main one first. */
  hostnames: string[];
  strategy: "recreate" | "blue-green";
}

export interface Started extends GateTarget {
  name: string;
}

type Networks = { network?: string; networks: Array<{ name: string }> };

/** One answer per run: its release step and its container ask alike, and each ask is a Docker call. */
const decided = new WeakMap<Run, Promise<Networks>>();

/**
 * Where the instance's containers (its release step's too) go, the networks tinyforge makes
 * created when missing: its accessories', where a database answers to its name, and in the bot
 * the stage's own network in place of Docker's default bridge (instanceNetworks).
 */
export function instanceNetworksOf(run: Run): Promise<Networks> {
  let p = decided.get(run);
  if (!p) {
    p = ensureNetworks(run);
    decided.set(run, p);
  }
  return p;
}

async function ensureNetworks(run: Run): Promise<Networks> {
  const { ctx, req } = run;
  const scope = { project: ctx.config.project, stage: req.stage, tag: req.tag };
  const nets = instanceNetworks(ctx.config, run.w, scope, ctx.networks?.isolate ?? false);
  const labels = { [LABEL.project]: ctx.config.project, [LABEL.stage]: req.stage };
  for (const n of nets.made) await ensureOwnNetwork(ctx, ctx.host.docker, n, labels);
  return {
    ...(nets.network ? { network: nets.network } : {}),
    networks: nets.joined.map((name) => ({ name })),
  };
}

/** The labels of what this deploy runs: a container here, a Swarm service in swarm/update.ts. */
export function runLabels(run: Run): Record<string, string> {
  const { ctx, req, w } = run;
  return labelsFor({
    project: ctx.config.project,
    workload: req.workload,
    stage: req.stage,
    tag: req.tag,
    sha: req.sha,
    deployId: req.deployId,
    port: w.port,
  });
}

export async function startContainer(run: Run, name: string, hostPort?: number): Promise<Started> {
  const { ctx, req, w } = run;
  const docker = ctx.host.docker;
  const id = await run.steps.run("create", async () => {
    const { network, networks } = await instanceNetworksOf(run);
    const spec = containerSpec({
      name,
      image: run.image,
      labels: runLabels(run),
      workload: w,
      secretValues: ctx.secrets,
      meta: { sha: req.sha, stage: req.stage, deployId: req.deployId, tag: req.tag },
      publishIp: ctx.config.publish_ip,
      hostPort,
      network,
    });
    return docker.create({ ...spec, networks });
  });
  try {
    return await run.steps.run("start", async () => {
      await docker.start(id);
      const startedAt = ctx.clock.now();
      const info = await docker.inspect(id);
      run.journal.info(
        "start",
        `${name} started${info?.hostPort ? ` on ${ctx.config.publish_ip}:${info.hostPort}` : ""}`,
      );
      return { id, name, hostPort: info?.hostPort, startedAt };
    });
  } catch (e) {
    await discard(run, { id, name });
    throw e;
  }
}

export async function gate(run: Run, c: Started): Promise<void> {
  const { ctx, w } = run;
  await run.steps.run("gate", () =>
    w.healthcheck
      ? httpGate(ctx.host, c, w.healthcheck, ctx.clock, (m) => run.journal.info("gate", m))
      : livenessGate(ctx.host, c, w.liveness_window, ctx.clock),
  );
}

export function routeOf(run: Run, c: { name: string; hostPort?: number }): Route | undefined {
  return routeForContainer(run.ctx, run.w, run.hostnames, c);
}

/** The route that sends `hostnames` to container `c` (shared by deploys and reconcile). */
export function routeForContainer(
  ctx: EngineContext,
  w: Pick<WorkloadConfig, "network" | "port">,
  [hostname, ...aliases]: string[],
  c: { name: string; hostPort?: number },
): Route | undefined {
  // A Swarm service is reached over its overlay network, by its tasks' names (src/swarm).
  if (ctx.host.swarm && w.port !== undefined) {
    const route = serviceRoute(
      { hostname: hostname!, service: c.name, port: w.port, tls: ctx.config.proxy.tls },
      ctx.config.swarm.endpoint_mode,
    );
    return aliases.length ? { ...route, aliases } : route;
  }
  const none = ctx.proxy.driver === "none";
  const publishAddress = ctx.config.publish_ip === "0.0.0.0" ? ctx.host.address : ctx.config.publish_ip;
  return routeFor({
    hostname: hostname!,
    aliases,
    container: c.name,
    // Without a proxy the published port is the only way in, network or not.
    network: none ? undefined : w.network,
    appPort: w.port,
    hostPort: c.hostPort,
    publishAddress: none ? publishAddress : "127.0.0.1",
    tls: ctx.config.proxy.tls,
  });
}

export async function pointRoute(
  run: Run,
  c: { name: string; hostPort?: number },
): Promise<string | undefined> {
  const route = routeOf(run, c);
  if (!route) return undefined;
  // A pure upsert: the proxy repoints in place. Never remove-then-add, which is a gap.
  const note = await run.ctx.proxy.upsert(route);
  // What the route step waited for and could not settle (nginx's previous workers) is on record.
  if (note) run.journal[note.level]("route", note.message);
  return run.ctx.proxy.url(route);
}

export function releaseOf(run: Run, c: Started, url: string | undefined): Release {
  return {
    deployId: run.req.deployId,
    ...(run.req.origin ? { origin: run.req.origin } : {}),
    sha: run.req.sha,
    ...(run.req.dirty ? { dirty: true as const } : {}),
    image: run.image,
    container: c.name,
    containerId: c.id,
    ...(c.hostPort !== undefined ? { hostPort: c.hostPort } : {}),
    ...(url ? { url } : {}),
    strategy: run.strategy,
    deployedAt: new Date(run.ctx.clock.now()).toISOString(),
  };
}

/** Makes `active` the serving release; the one it replaces heads the rollback list. */
export async function persistActive(run: Run, active: Release, replaced: Release | undefined): Promise<void> {
  const keep = run.w.keep_releases;
  // A rollback re-activates an earlier release: it leaves the rollback list rather than appear twice.
  const previous = (replaced ? [replaced, ...run.state.previous] : run.state.previous)
    .filter((r) => r.sha !== active.sha || r.image !== active.image || composeDirOf(r) !== active.composeDir)
    .slice(0, keep);
  // Which proxy now carries the route, and where it points: a later change of proxy: knows where
  // to clean up, and a proxy that lost it gets it back.
  const route = routeOf(run, { name: active.container, hostPort: active.hostPort });
  const routes = withRoute(run.state.routes, currentRoute(run.ctx.config, route));
  run.state = {
    ...run.state,
    active,
    previous,
    ...(routes.length ? { routes } : {}),
    updatedAt: new Date(run.ctx.clock.now()).toISOString(),
  };
  await run.store.writeInstance(run.state);
}

/**
 * Stops a container this deploy replaces. An app that ignores SIGTERM (PID 1 without a handler,
 * as most are) is killed only at stop_timeout: every deploy waits that long, so say why, once.
 */
export async function stopReplaced(run: Run, id: string, step: string): Promise<void> {
  const { docker } = run.ctx.host;
  const sec = Math.ceil(run.w.stop_timeout / 1000);
  await docker.stop(id, sec);
  // stop_timeout 0s asks for the kill: nothing to tell.
  if (sec === 0) return;
  const info = await docker.inspect(id);
  if (info?.exitCode === SIGKILLED)
    run.journal.warn(
      step,
      `your app does not stop on SIGTERM; it was killed after ${sec}s — handle SIGTERM, or set stop_timeout`,
    );
}

/** 128 + SIGKILL: the exit code of a container Docker had to kill. */
const SIGKILLED = 137;

/**
 * Removes the replaced container. The new release already serves and is persisted, so a failure
 * here is a warning, not a failed deploy: exit 1 promises the old version still serves.
 */
export async function reap(run: Run, fn: () => Promise<void>, name: string): Promise<void> {
  try {
    await run.steps.run("reap", fn);
  } catch (e) {
    run.journal.warn(
      "reap",
      `${name} could not be removed (${errorMessage(e)}); it no longer serves: remove it by hand or let reconcile do it`,
    );
  }
}

/**
 * Removes a new container that will not serve. Its last output goes into the deploy's events
 * first (redacted and capped like every event): once it is removed, that is the only trace of why.
 */
export async function discard(run: Run, c: { id: string; name: string }): Promise<void> {
  const { docker } = run.ctx.host;
  const output = await docker.logs(c.id, 20).catch(() => "");
  // Redact the whole output before splitting it: a multi-line secret is only whole here.
  const lines = run.ctx
    .redact(output)
    .split(/\r?\n|\r/)
    .filter((l) => l.trim());
  for (const line of lines.slice(-20)) run.journal.info("container-log", line);
  await docker.remove(c.id).catch(() => undefined);
  await run.journal.flush();
}
