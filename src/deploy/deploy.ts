// One deploy of one workload to one stage on one host, as named steps read top to bottom:
//   plan → lock (and put right what an earlier deploy left) → read the instance →
//   already serves? → announce → image (pull | build | the kept one) → release step → swap → bake
//   (workloads.X.bake: soak, or revert and fail) → report the success → retire the old release →
//   tidy → finish.
// Its progress is one explicit phase; what a failure means (what still serves, who hears of it)
// follows from the phase it happened in. Whatever happens, the lock is released and the deploy's
// record and events are on the host.
import type { WorkloadConfig } from "../config/schema.js";
import { causedBy, errorMessage, TinyforgeError } from "../errors.js";
import { mountedStorage } from "../plan/static-site.js";
import type { InstanceState, Release } from "../state/model.js";
import { type BakeControl, bakeRelease } from "./bake.js";
import { blueGreen, type Swap } from "./blue-green.js";
import { composeUp } from "./compose.js";
import { Deploy, result, storeFor } from "./deploy-state.js";
import { freezeText } from "./freeze.js";
import { decidingImage, type ImageRequest, prepareImage } from "./image.js";
import { afterConnectionLost } from "./interrupted.js";
import { acquireLock } from "./lock.js";
import { type DeployPlan, planDeploy, withStorage } from "./plan.js";
import { pruneImages } from "./prune.js";
import { type Reconciled, reconcileScope } from "./reconcile.js";
import { recreate } from "./recreate.js";
import { runRelease } from "./release.js";
import { checkProxyRoutes } from "./route-durability.js";
import type { Run } from "./run.js";
import { evictOldest } from "./teardown.js";
import { swarmSwap } from "../swarm/update.js";
import type { DeployRequest, DeployResult, EngineContext } from "./types.js";

export { storeFor };

// Lock contention, an unreachable host or Docker engine and a lost connection are not deploy
// failures (nothing says the release is bad): they surface as themselves.
const SURFACED = new Set(["lock_held", "host_unreachable", "connection_lost", "docker_unreachable"]);

export async function deploy(ctx: EngineContext, request: DeployRequest): Promise<DeployResult> {
  const plan = planDeploy(ctx.config, request, ctx.host.name);
  refuseBake(ctx, plan);
  const d = new Deploy(ctx, plan);
  begin(d);
  try {
    const reconciled = await lock(d);
    const state = await readInstance(d, reconciled);
    const active = await alreadyServes(d, state);
    if (active) {
      d.phase = { name: "unchanged", active };
    } else {
      announce(d, state);
      const release = await prepareRelease(d);
      const run = runOf(d, state, release.image, await runningWorkload(d, reconciled, state));
      const swapped = await swap(d, run, release);
      // The success is not reported before the bake held: a failed bake ends the deploy `failed`.
      await bakeRelease(run, swapped, bakeControl(d));
      served(d, swapped);
      await swapped.retire?.();
      await tidy(d);
    }
  } catch (e) {
    await surface(d, e);
  }
  return finish(d, unlock(d));
}

/** Throws, once the lock is released, what surfaces as itself (SURFACED); the rest is a failure. */
async function surface(d: Deploy, e: unknown): Promise<void> {
  try {
    const error = d.fail(await connectionLost(d, e));
    if (!SURFACED.has(error.code)) return;
    if (error.code === "docker_unreachable") await engineGone(d, error);
    if (d.announced) await d.hooks.finished(d.plan.info, result(d));
    await d.journal.flush();
    throw error;
  } catch (thrown) {
    await d.lock?.release().catch(() => undefined);
    throw thrown;
  }
}

/**
 * Releases the lock; then a proxy that lost routes (restarted without its config) is put right
 * and said so. Runs while the outcome is written (finish): each is on the host before the deploy
 * answers, neither reads what the other writes.
 */
async function unlock(d: Deploy): Promise<void> {
  if (!d.lock) return;
  await d.lock.release().catch(() => undefined);
  await checkProxyRoutes(d.ctx, d.store, d.journal);
}

function begin(d: Deploy): void {
  const { req, strategy } = d.plan;
  d.journal.info(
    "deploy",
    `${req.workload} ${req.sha.slice(0, 12)}${req.dirty ? " (dirty)" : ""} → ${req.stage}${req.tag ? ` (${req.tag})` : ""} on ${d.ctx.host.name}, ${strategy}`,
  );
  // An override of a freeze is said in the deploy's own history, not only by whoever ran it.
  if (req.forced)
    d.journal.warn("freeze", `forced by ${req.forced.by}: ${req.stage} is ${freezeText(req.forced.freeze)}`);
}

/** Takes the workload+stage lock, records the deploy, and puts right what an earlier one left. */
async function lock(d: Deploy): Promise<Reconciled> {
  const { ctx, store, journal, plan } = d;
  d.lock = await d.steps.run("lock", () =>
    acquireLock(
      store.files,
      store.lockDir(plan.req.workload, plan.req.stage),
      { owner: ctx.owner, deployId: plan.req.deployId },
      {
        ttlMs: ctx.lockTtlMs,
        waitMs: ctx.config.lock_timeout,
        clock: ctx.clock,
        cancelBake: plan.req.cancelBake,
        onWait: (h) =>
          journal.warn(
            "lock",
            `waiting for ${h.owner} (deploy ${h.deployId})${h.bakeUntil !== undefined ? (plan.req.cancelBake ? ", which is baking: asked it to end its bake" : ", which is baking its release (--cancel-bake ends the bake)") : ""}`,
          ),
      },
    ),
  );
  askImage(d);
  // Whatever an earlier deploy left half done (it crashed, it was killed), put right first; our own
  // record is written meanwhile (neither reads what the other writes).
  const scope = { workload: plan.req.workload, stage: plan.req.stage, interrupted: d.lock.tookOver };
  const [, reconciled] = await Promise.all([store.writeDeploy(d.record), reconcileScope(ctx, store, scope)]);
  for (const line of reconciled.lines) journal.warn("reconcile", line);
  return reconciled;
}

/** The instance's state: as reconcile left it (it read every state file of the scope), or read. */
async function readInstance(d: Deploy, reconciled: Reconciled): Promise<InstanceState> {
  const { key, names } = d.plan;
  const left = reconciled.unsure.has(key)
    ? await d.store.readInstance(key)
    : reconciled.states.find((s) => s.key === key);
  const state: InstanceState = left ?? {
    key,
    ...names,
    previous: [],
    updatedAt: new Date(d.ctx.clock.now()).toISOString(),
  };
  if (!names.tag) delete state.tag;
  d.phase = { name: "locked", state };
  d.serving = state.active?.container;
  return state;
}

/** The active release when it is this SHA and still runs: nothing to do. */
async function alreadyServes(d: Deploy, state: InstanceState): Promise<Release | undefined> {
  const active = state.active;
  const { sha, dirty } = d.plan.req;
  // A dirty build is never "already serving": its content is not the commit's.
  const same = active?.sha === sha && !active.dirty && !dirty;
  if (!same || !(await stillRuns(d.ctx.host, active))) return undefined;
  d.journal.info("deploy", `${sha.slice(0, 12)} already serves in ${active.container}: nothing to do`);
  return active;
}

async function stillRuns(host: EngineContext["host"], active: Release): Promise<boolean> {
  if (host.swarm) return (await host.swarm.service(active.containerId))?.image === active.image;
  return (await host.docker.inspect(active.containerId))?.running === true;
}

function announce(d: Deploy, state: InstanceState): void {
  d.phase = { name: "announced", state };
  d.hooks.started(d.plan.info);
}

/** What the swap starts: a kept release (a rollback), a pulled or built image, or compose's files. */
async function prepareRelease(d: Deploy): Promise<{ image: string; composeDir?: string }> {
  const { ctx, plan, steps, journal } = d;
  const { w, req } = plan;
  if (req.release) {
    const kept = req.release;
    if (w.source === "compose") return kept;
    return { image: await steps.run("image", () => keptImage(ctx.host, kept.image)) };
  }
  if (w.source === "compose") return { image: "" };
  const step = w.source === "image" ? "pull" : "build";
  const asked = d.imageAsked;
  const image = await steps.run(step, () =>
    prepareImage(
      ctx.host,
      w,
      imageRequest(d),
      (l) => journal.emit("debug", step, l),
      // The answer askImage got; asked again when that failed (a lost connection then says so).
      (ref) =>
        asked?.ref === ref
          ? asked.present.catch(() => ctx.host.docker.imageExists(ref))
          : ctx.host.docker.imageExists(ref),
    ),
  );
  return { image };
}

function imageRequest(d: Deploy): ImageRequest {
  const { req, names } = d.plan;
  return {
    ...names,
    sha: req.sha,
    ref: req.ref,
    deployId: req.deployId,
    configDir: d.ctx.configDir,
    checkoutRoot: d.ctx.checkoutRoot,
    dirty: req.dirty,
  };
}

/**
 * Asks, while the deploy reconciles, whether the image that decides its pull or build is on the
 * host already: a read, so it need not wait its turn (one Docker round trip off the way to the new
 * container). A rollback runs a kept image and compose its own files: nothing to ask.
 */
function askImage(d: Deploy): void {
  const { w, req } = d.plan;
  const ref = req.release ? undefined : decidingImage(w, imageRequest(d));
  if (!ref) return;
  const present = d.ctx.host.docker.imageExists(ref);
  // An unchanged deploy never reads it, a failed one is asked again: neither is unhandled.
  present.catch(() => undefined);
  d.imageAsked = { ref, present };
}

async function keptImage(host: EngineContext["host"], image: string): Promise<string> {
  if (!(await host.docker.imageExists(image))) {
    throw new TinyforgeError("not_found", `image ${image} is no longer on ${host.name}`, {
      hint: "raise keep_releases to keep more releases' images; deploy that SHA again to rebuild it",
    });
  }
  return image;
}

/**
 * The workload as this release runs it: a deno site keeps the storage volume its serving container
 * mounts (plan.ts, withStorage), that container as reconcile found it or, failing that, inspected.
 */
async function runningWorkload(
  d: Deploy,
  reconciled: Reconciled,
  state: InstanceState,
): Promise<WorkloadConfig> {
  const { ctx, plan } = d;
  const active = state.active;
  if (!plan.storage || !active || ctx.host.swarm) return plan.w;
  const serving = reconciled.serving.get(plan.key) ?? (await ctx.host.docker.inspect(active.containerId));
  const mounted = mountedStorage(serving?.mounts);
  const w = withStorage(plan, mounted);
  if (w !== plan.w) d.journal.info("storage", `keeps volume ${mounted}, the one ${active.container} mounts`);
  return w;
}

function runOf(d: Deploy, state: InstanceState, image: string, w: WorkloadConfig): Run {
  const { plan } = d;
  return {
    ctx: d.ctx,
    req: plan.req,
    w,
    steps: d.steps,
    journal: d.journal,
    store: d.store,
    state,
    image,
    hostname: plan.hostnames[0]!,
    hostnames: plan.hostnames,
    strategy: plan.strategy,
  };
}

/**
 * A bake keeps the old release running beside the new one and reverts one host: blue-green on a
 * single plain Docker host only. Refused before anything is touched.
 */
function refuseBake(ctx: EngineContext, plan: DeployPlan): void {
  if (!plan.w.bake) return;
  const at = `workloads.${plan.req.workload}.bake`;
  const why = ctx.host.swarm
    ? "is not supported on a swarm+ssh:// host (Swarm replaces tasks itself; use healthcheck)"
    : ctx.rollout
      ? "is supported on a stage with one host only (this stage has several)"
      : plan.strategy !== "blue-green"
        ? `needs the blue-green strategy (this deploy is ${plan.strategy}): the old release must keep running during the bake`
        : undefined;
  if (why) throw new TinyforgeError("config_invalid", `${at}: ${why}`);
}

/** The bake's hold on the lock: waiting deploys see how long it lasts, and may ask it to end. */
function bakeControl(d: Deploy): BakeControl {
  return {
    baking: async (until) => {
      await d.lock?.baking(until);
    },
    // Asked first in this process (the bot's queue), then the host's request file (another
    // process's --cancel-bake).
    cancelledBy: async () => d.ctx.bakeCancelledBy?.() ?? (await d.lock?.bakeCancelledBy()),
    measured: (figures) => {
      d.bake = figures;
    },
  };
}

/** The strategy's procedure: blue-green, recreate, or compose's own `up`. */
async function swap(d: Deploy, run: Run, release: { image: string; composeDir?: string }): Promise<Swap> {
  const { plan } = d;
  await runRelease(run, plan.base);
  // A Swarm manager swaps by itself: the workload is a service updated start-first (src/swarm).
  const swarm = d.ctx.host.swarm;
  if (swarm) return swarmSwap(run, swarm);
  if (plan.w.source === "compose") return composeUp(run, plan.base, release.composeDir);
  return plan.strategy === "blue-green" ? blueGreen(run, plan.base) : recreate(run, plan.base);
}

/** The new release serves and is persisted: the success is reported now, before blue is retired. */
function served(d: Deploy, swapped: Swap): void {
  d.phase = { name: "served", swap: swapped };
  d.servedMs = d.ctx.clock.now() - d.t0;
  if (d.announced) d.hooks.served(d.plan.info, result(d));
}

/**
 * However deep an adapter wrapped it, a lost connection is reported as itself: log in again,
 * put the host right under our lock, and say what serves now (interrupted.ts).
 */
async function connectionLost(d: Deploy, e: unknown): Promise<unknown> {
  const lost = causedBy(e, "connection_lost");
  if (!lost) return e;
  const { steps, plan } = d;
  const step = steps.failedAt ?? steps.current ?? "lock";
  return afterConnectionLost({
    ctx: d.ctx,
    store: d.store,
    journal: d.journal,
    record: d.record,
    scope: { workload: plan.req.workload, stage: plan.req.stage },
    key: plan.key,
    holdsLock: d.lock !== undefined,
    step,
    oldUntouched:
      plan.strategy === "blue-green" &&
      !["route", "persist", "reap"].includes(step) &&
      !steps.records.some((s) => s.name === "route"),
    cause: lost,
  });
}

/**
 * The Docker engine went away mid-deploy while the host's files are still reachable: history says
 * `interrupted` at the step it reached (never `running`); the next deploy reconciles what is left.
 */
async function engineGone(d: Deploy, error: TinyforgeError): Promise<void> {
  const step = d.steps.failedAt ?? d.steps.current;
  await d.store
    .writeDeploy({
      ...d.record,
      outcome: "interrupted",
      ...(step ? { step } : {}),
      finishedAt: new Date(d.ctx.clock.now()).toISOString(),
      durationMs: d.ctx.clock.now() - d.t0,
      error: { code: error.code, message: error.message },
    })
    .catch((e) => d.journal.warn("record", `could not write the deploy record: ${errorMessage(e)}`));
}

/** After the new release serves: evict instances over the limit, prune images. Warnings only. */
async function tidy(d: Deploy): Promise<void> {
  const { ctx, store, journal, plan } = d;
  const { workload, stage } = plan.req;
  const limit = plan.maxInstances;
  if (limit !== undefined) {
    await evictOldest(ctx, store, { workload, stage, keep: plan.key, limit }).then(
      (lines) => {
        for (const l of lines) journal.info("evict", l);
      },
      (e) => journal.warn("evict", `could not evict: ${errorMessage(e)}`),
    );
  }
  await pruneImages(ctx, store, workload).then(
    (tags) => {
      for (const t of tags) journal.info("prune", `image ${t}`);
    },
    (e) => journal.warn("prune", `could not prune images: ${errorMessage(e)}`),
  );
  if (d.phase.name === "served") {
    const a = d.phase.swap.active;
    journal.info(
      "deploy",
      `${a.container} serves ${plan.req.sha.slice(0, 12)}${a.url ? ` at ${a.url}` : ""}`,
    );
  }
}

/**
 * Writes the record's outcome (while the lock is released: `unlocking`), tells the observers,
 * flushes the events. The events so far go out meanwhile, in order, the last ones after the hooks.
 */
async function finish(d: Deploy, unlocking: Promise<void>): Promise<DeployResult> {
  void d.journal.flush();
  const r = result(d);
  Object.assign(d.record, {
    outcome: r.outcome,
    finishedAt: new Date(d.ctx.clock.now()).toISOString(),
    durationMs: r.durationMs,
    ...(r.url ? { url: r.url } : {}),
    ...(r.container ? { container: r.container } : {}),
    ...(r.previous ? { previous: r.previous } : {}),
    ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}),
    ...(r.bake ? { bake: { verdict: r.bake.verdict, summary: r.bake.summary } } : {}),
  });
  await Promise.all([
    d.store
      .writeDeploy(d.record)
      .catch((e) => d.journal.warn("record", `could not write the deploy record: ${errorMessage(e)}`)),
    unlocking,
  ]);
  if (d.announced) await d.hooks.finished(d.plan.info, r);
  await d.journal.flush();
  return r;
}
