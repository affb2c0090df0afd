// `plan`: what a deploy of the same request would do, read from the stage's hosts without
// changing anything — no lock taken, no container, no image pulled or built, no state written, the
// proxy not even asked. Built from the same pure planners the deploy runs (planDeploy,
// containerSpec, toEvict), so what it says is what a deploy does.
import { storeFor } from "../deploy/deploy.js";
import { activeFreeze } from "../deploy/freeze.js";
import { builtImageTag, usesCopyOnHost } from "../deploy/image.js";
import { currentLease, type Lease, leaseAlive } from "../deploy/lock.js";
import { planDeploy } from "../deploy/plan.js";
import { toEvict } from "../deploy/teardown.js";
import type { EngineContext } from "../deploy/types.js";
import type { Strategy, WorkloadConfig } from "../config/schema.js";
import { systemClock } from "../ports/clock.js";
import { containerSpec } from "../plan/container.js";
import { expandImage } from "../plan/names.js";
import type { Freeze } from "../state/model.js";
import type { PlanOp } from "./operation.js";
import { engineContext, type Session, withHost } from "./session.js";
import { resolveStage, resolveWorkloads, stageHosts } from "./stages.js";

export interface PlanResult {
  host: string;
  workload: string;
  stage: string;
  tag: string | null;
  sha: string;
  source: string;
  /** The image the new release runs ("" for a compose stack: compose's own images). */
  image: string;
  /** The image is on the host already (nothing to pull or build). */
  imagePresent: boolean;
  /** What the image step would do. */
  imageAction: "pull" | "build" | "reuse" | "compose";
  strategy: Strategy;
  /** What serves now, when something does. */
  serving: { sha: string; container: string } | null;
  /** This SHA already serves: the deploy would change nothing. */
  unchanged: boolean;
  /** The proxy routes the deploy would upsert (none with `proxy: none`). */
  routes: Array<{ hostname: string; driver: string; port: number | null; tls: boolean }>;
  /**
   * Names of the container's environment that would be new or hold a different value than in the
   * serving container (values never: they may be secrets). null: nothing serves to compare with.
   */
  env: { added: string[]; changed: string[] } | null;
  /** The release step that would run first, when the workload has one. */
  release: { command: string[]; timeoutMs: number } | null;
  /** Instances (state keys) max_instances would evict after the deploy. */
  evicts: string[];
  frozen: Freeze | null;
  /** A live deploy lock on this workload+stage: the deploy would wait for it (lock_timeout). */
  locked: Lease | null;
}

export async function planAll(s: Session, op: PlanOp): Promise<PlanResult[]> {
  const workloads = resolveWorkloads(s.config, op.workload);
  const stage = resolveStage(s.config, op.stage);
  for (const w of workloads) s.grants.secrets(s.config, w, stage);
  const out: PlanResult[] = [];
  for (const entry of stageHosts(s.config, stage)) {
    await withHost(s, entry, async (host) => {
      for (const workload of workloads)
        out.push(await planOne(engineContext(s, host, { workload, stage }), op, workload, stage));
    });
  }
  return out;
}

async function planOne(ctx: EngineContext, op: PlanOp, workload: string, stage: string): Promise<PlanResult> {
  const { config, host } = ctx;
  const plan = planDeploy(
    config,
    { workload, stage, sha: op.sha, ref: op.ref, tag: op.tag, strategy: op.strategy },
    host.name,
  );
  const { w, req } = plan;
  const store = storeFor(ctx);
  const now = systemClock.now();
  const state = await store.readInstance(plan.key);
  const active = state?.active;
  const running = active && !host.swarm ? await host.docker.inspect(active.containerId) : undefined;
  const serves = host.swarm ? active !== undefined : running?.running === true;

  const image =
    w.source === "image"
      ? expandImage(w.image!, { sha: req.sha, ref: req.ref, tag: req.tag, stage })
      : w.source === "compose"
        ? ""
        : builtImageTag(config.project, workload, req.sha);
  const imagePresent = image !== "" && (await host.docker.imageExists(image));
  const imageAction = actionFor(w, image, imagePresent);

  const lease = await currentLease(store.files, store.lockDir(workload, stage));
  const unchanged = serves && active?.sha === req.sha && !active.dirty;
  return {
    host: host.name,
    workload,
    stage,
    tag: req.tag ?? null,
    sha: req.sha,
    source: w.source,
    image,
    imagePresent,
    imageAction,
    strategy: plan.strategy,
    serving: active ? { sha: active.sha, container: active.container } : null,
    unchanged,
    routes:
      config.proxy.driver === "none"
        ? []
        : plan.hostnames.map((hostname) => ({
            hostname,
            driver: config.proxy.driver,
            port: w.port ?? null,
            tls: config.proxy.tls === true,
          })),
    env: running?.env ? envChanges(ctx, plan, running.env) : null,
    release: w.release ? { command: w.release.command, timeoutMs: w.release.timeout } : null,
    evicts:
      plan.maxInstances === undefined
        ? []
        : toEvict(await store.listInstances(), {
            workload,
            stage,
            keep: plan.key,
            limit: plan.maxInstances,
          }).map((i) => i.key),
    frozen: (await activeFreeze(store, stage, now)) ?? null,
    locked: lease && leaseAlive(lease, now) ? lease : null,
  };
}

/** As prepareImage decides it (src/deploy/image.ts). */
function actionFor(w: WorkloadConfig, image: string, present: boolean): PlanResult["imageAction"] {
  if (w.source === "compose") return "compose";
  if (w.source !== "image") return present ? "reuse" : "build";
  return present && usesCopyOnHost(w, image) ? "reuse" : "pull";
}

/** Names only: the new container's env (as the deploy builds it) against the serving one's. */
function envChanges(
  ctx: EngineContext,
  plan: ReturnType<typeof planDeploy>,
  serving: string[],
): { added: string[]; changed: string[] } {
  const spec = containerSpec({
    name: plan.base,
    image: "",
    labels: {},
    workload: plan.w,
    secretValues: ctx.secrets,
    meta: { sha: plan.req.sha, stage: plan.req.stage, deployId: plan.req.deployId, tag: plan.req.tag },
    publishIp: ctx.config.publish_ip,
  });
  const old = new Map(serving.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  const added: string[] = [];
  const changed: string[] = [];
  for (const kv of spec.env) {
    const name = kv.slice(0, kv.indexOf("="));
    // Every deploy has its own id: not a change anyone needs told.
    if (name === "TINYFORGE_DEPLOY_ID") continue;
    const value = kv.slice(kv.indexOf("=") + 1);
    if (!old.has(name)) added.push(name);
    else if (old.get(name) !== value) changed.push(name);
  }
  return { added: added.sort(), changed: changed.sort() };
}
