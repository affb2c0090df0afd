// One deploy of one workload to one stage on one host, top to bottom:
// lock → read state → unchanged? → image → strategy (blue-green | recreate) → report the success →
// retire the old release → record → unlock.
// Whatever happens, the lock is released and the deploy's record and events are on the host.
import { monotonicFactory } from "ulid";
import { causedBy, errorMessage, isTinyforgeError, TinyforgeError } from "../errors.js";
import { Journal } from "../events/journal.js";
import { containerBaseName, instanceKey, validateRequest } from "../plan/names.js";
import { routeHostnames } from "./route-name.js";
import { instanceUrl } from "../plan/hostnames.js";
import { type EnvValues, instanceEnv } from "../plan/instance-env.js";
import { staticMode, staticPort, storageVolume } from "../plan/static-site.js";
import { resolveStrategy } from "../plan/strategy.js";
import type { WorkloadConfig } from "../config/schema.js";
import type { DeployRecord, InstanceState } from "../state/model.js";
import { Store } from "../state/store.js";
import { blueGreen } from "./blue-green.js";
import { composeUp } from "./compose.js";
import { prepareImage } from "./image.js";
import { afterConnectionLost } from "./interrupted.js";
import { acquireLock, type HeldLock } from "./lock.js";
import { recreate } from "./recreate.js";
import { runRelease } from "./release.js";
import { reconcile } from "./reconcile.js";
import { checkProxyRoutes } from "./route-durability.js";
import { pruneImages } from "./prune.js";
import { evictOldest } from "./teardown.js";
import type { Run } from "./run.js";
import { HookQueue } from "./hooks.js";
import { Steps } from "./steps.js";
import type { DeployInfo, DeployRequest, DeployResult, EngineContext } from "./types.js";

// Monotonic: two deploys started in the same millisecond still sort in the order they began.
const ulid = monotonicFactory();

export function storeFor(ctx: EngineContext): Store {
  return new Store(ctx.host.files, ctx.config.state_dir, ctx.config.project);
}

/** The workload as a deploy runs it: a static site's defaults filled in (port, storage volume). */
function effectiveWorkload(w: WorkloadConfig, base: string): WorkloadConfig {
  if (w.source !== "static") return w;
  const volumes = staticMode(w) === "deno" && w.storage ? [...w.volumes, storageVolume(base)] : w.volumes;
  return { ...w, port: staticPort(w), volumes };
}

/** The workload with its instance's env: stage env over workload env, placeholders expanded. */
function withInstanceEnv(
  w: WorkloadConfig,
  stageEnv: Record<string, string>,
  values: EnvValues,
): WorkloadConfig {
  return { ...w, env: instanceEnv(w.env, stageEnv, values) };
}

async function keptImage(host: EngineContext["host"], image: string): Promise<string> {
  if (!(await host.docker.imageExists(image))) {
    throw new TinyforgeError("not_found", `image ${image} is no longer on ${host.name}`, {
      hint: "raise keep_releases to keep more releases' images; deploy that SHA again to rebuild it",
    });
  }
  return image;
}

export async function deploy(ctx: EngineContext, request: DeployRequest): Promise<DeployResult> {
  const { config, clock, host } = ctx;
  const configured = config.workloads[request.workload];
  if (!configured)
    throw new TinyforgeError(
      "usage",
      `no workload "${request.workload}" in the config (have: ${Object.keys(config.workloads).join(", ")})`,
    );
  if (!config.stages[request.stage]) {
    throw new TinyforgeError(
      "usage",
      `no stage "${request.stage}" in the config (have: ${Object.keys(config.stages).join(", ")})`,
    );
  }
  validateRequest(request);
  const req = { ...request, deployId: request.deployId ?? ulid() };
  const names = { project: config.project, workload: req.workload, stage: req.stage, tag: req.tag };
  const hostnames = routeHostnames(config, names);
  const w = withInstanceEnv(
    effectiveWorkload(configured, containerBaseName({ project: config.project, ...request })),
    config.stages[req.stage]!.env,
    { ...names, sha: req.sha, url: instanceUrl(config, hostnames) },
  );
  const strategy = resolveStrategy(w, req.strategy);
  const key = instanceKey(names);
  const store = storeFor(ctx);
  const journal = new Journal(
    { deployId: req.deployId, workload: req.workload, stage: req.stage },
    ctx.redact,
    clock,
    store,
  );
  if (ctx.onEvent) journal.on(ctx.onEvent);
  let lock: HeldLock | undefined;
  const info: DeployInfo = {
    deployId: req.deployId,
    project: config.project,
    workload: req.workload,
    stage: req.stage,
    tag: req.tag ?? null,
    sha: req.sha,
    ref: req.ref ?? null,
    strategy,
    host: host.name,
  };
  const hooks = new HookQueue(ctx.hooks ?? [], journal, ctx.hookTimeoutMs);
  // Observers hear of a deploy only once it really starts: the unchanged short-circuit sends nothing.
  // Announced ones heard `started` already (the bot's early pending): they hear the end, whatever it is.
  let reporting = ctx.announced === true;
  const steps = new Steps(
    journal,
    clock,
    () => lock?.assertHeld(),
    (step) => {
      ctx.onStep?.(step);
      if (reporting) hooks.step(info, step);
    },
  );
  const t0 = clock.now();
  const record: DeployRecord = {
    deployId: req.deployId,
    ...names,
    sha: req.sha,
    ...(req.dirty ? { dirty: true as const } : {}),
    ...(req.ref ? { ref: req.ref } : {}),
    ...(req.trigger ? { trigger: req.trigger } : {}),
    kind: req.rollback ? "rollback" : "deploy",
    ...(req.rollback ? { rollback: req.rollback } : {}),
    strategy,
    host: host.name,
    outcome: "running",
    startedAt: new Date(t0).toISOString(),
    steps: steps.records,
  };
  if (!req.tag) delete record.tag;
  journal.info(
    "deploy",
    `${req.workload} ${req.sha.slice(0, 12)}${req.dirty ? " (dirty)" : ""} → ${req.stage}${req.tag ? ` (${req.tag})` : ""} on ${host.name}, ${strategy}`,
  );

  let result: Pick<DeployResult, "outcome" | "url" | "container" | "previous" | "error"> = {
    outcome: "failed",
    url: null,
    container: null,
    previous: null,
    error: null,
  };
  // What served before this deploy: on failure, it is what still serves.
  let serving: string | undefined;
  // When the new release served: the moment the success is reported.
  let servedMs: number | null = null;
  const summary = (): DeployResult => ({
    deployId: req.deployId,
    workload: req.workload,
    stage: req.stage,
    tag: req.tag ?? null,
    sha: req.sha,
    ...(req.dirty ? { dirty: true as const } : {}),
    ...(req.rollback ? { rollback: req.rollback } : {}),
    strategy,
    ...result,
    host: host.name,
    durationMs: clock.now() - t0,
    servedMs,
    steps: steps.records,
  });
  try {
    lock = await steps.run("lock", () =>
      acquireLock(
        store.files,
        store.lockDir(req.workload, req.stage),
        { owner: ctx.owner, deployId: req.deployId },
        {
          ttlMs: ctx.lockTtlMs,
          waitMs: config.lock_timeout,
          clock,
          onWait: (h) => journal.warn("lock", `waiting for ${h.owner} (deploy ${h.deployId})`),
        },
      ),
    );
    await store.writeDeploy(record);
    // Whatever an earlier deploy left half done (it crashed, it was killed), put right first.
    const scope = { workload: req.workload, stage: req.stage, interrupted: lock.tookOver };
    for (const line of await reconcile(ctx, store, scope)) {
      journal.warn("reconcile", line);
    }
    const state: InstanceState = (await store.readInstance(key)) ?? {
      key,
      ...names,
      previous: [],
      updatedAt: new Date(clock.now()).toISOString(),
    };
    if (!req.tag) delete state.tag;

    const active = state.active;
    serving = active?.container;
    // A dirty build is never "already serving": its content is not the commit's.
    const same = active?.sha === req.sha && !active.dirty && !req.dirty;
    if (same && (await host.docker.inspect(active!.containerId))?.running) {
      journal.info("deploy", `${req.sha.slice(0, 12)} already serves in ${active.container}: nothing to do`);
      result = {
        outcome: "unchanged",
        url: active.url ?? null,
        container: active.container,
        previous: null,
        error: null,
      };
    } else {
      reporting = true;
      hooks.started(info);
      const image =
        w.source === "compose"
          ? (req.image ?? "")
          : req.image
            ? await steps.run("image", () => keptImage(host, req.image!))
            : await steps.run(w.source === "image" ? "pull" : "build", () =>
                prepareImage(
                  host,
                  w,
                  {
                    ...names,
                    sha: req.sha,
                    ref: req.ref,
                    deployId: req.deployId,
                    configDir: ctx.configDir,
                    dirty: req.dirty,
                  },
                  (l) => journal.emit("debug", w.source === "image" ? "pull" : "build", l),
                ),
              );
      const run: Run = {
        ctx,
        req,
        w,
        steps,
        journal,
        store,
        state,
        image,
        hostname: hostnames[0]!,
        hostnames,
        strategy,
      };
      const base = containerBaseName(names);
      await runRelease(run, base);
      const swap =
        w.source === "compose"
          ? await composeUp(
              run,
              base,
              req.image?.startsWith("compose:") ? req.image.slice("compose:".length) : undefined,
            )
          : strategy === "blue-green"
            ? await blueGreen(run, base)
            : await recreate(run, base);
      result = {
        outcome: "success",
        url: swap.active.url ?? null,
        container: swap.active.container,
        previous: swap.previous?.container ?? null,
        error: null,
      };
      servedMs = clock.now() - t0;
      if (reporting) hooks.served(info, summary());
      await swap.retire?.();
      const limit = config.stages[req.stage]?.max_instances ?? w.max_instances;
      if (limit !== undefined) {
        // The new release serves already: a failed eviction is a warning, not a failed deploy.
        await evictOldest(ctx, store, { workload: req.workload, stage: req.stage, keep: key, limit }).then(
          (lines) => {
            for (const l of lines) journal.info("evict", l);
          },
          (e) => journal.warn("evict", `could not evict: ${errorMessage(e)}`),
        );
      }
      await pruneImages(ctx, store, req.workload).then(
        (tags) => {
          for (const t of tags) journal.info("prune", `image ${t}`);
        },
        (e) => journal.warn("prune", `could not prune images: ${errorMessage(e)}`),
      );
      journal.info(
        "deploy",
        `${swap.active.container} serves ${req.sha.slice(0, 12)}${swap.active.url ? ` at ${swap.active.url}` : ""}`,
      );
    }
  } catch (e) {
    let err = isTinyforgeError(e) ? e : new TinyforgeError("deploy_failed", errorMessage(e), { cause: e });
    // However deep an adapter wrapped it, a lost connection is reported as itself.
    const lost = causedBy(e, "connection_lost");
    if (lost) {
      const step = steps.failedAt ?? steps.current ?? "lock";
      err = await afterConnectionLost({
        ctx,
        store,
        journal,
        record,
        scope: { workload: req.workload, stage: req.stage },
        key,
        holdsLock: lock !== undefined,
        step,
        oldUntouched:
          strategy === "blue-green" &&
          !["route", "persist", "reap"].includes(step) &&
          !steps.records.some((s) => s.name === "route"),
        cause: lost,
      });
    }
    result = {
      ...result,
      previous: serving ?? null,
      outcome: "failed",
      error: {
        code: err.code,
        message: ctx.redact(err.publicMessage ?? err.message),
        ...(err.hint ? { hint: err.hint } : {}),
        ...(err.publicMessage ? { detail: ctx.redact(err.message) } : {}),
        ...(err.code === "release_failed" && err.details.length > 0
          ? { output: err.details.map((l) => ctx.redact(l)) }
          : {}),
      },
    };
    journal.error("deploy", `failed: ${err.publicMessage ?? err.message}`);
    // Lock contention and unreachable hosts are not deploy failures: surface them as themselves.
    if (err.code === "lock_held" || err.code === "host_unreachable" || err.code === "connection_lost") {
      if (reporting) await hooks.finished(info, summary());
      await journal.flush();
      throw err;
    }
  } finally {
    await lock?.release().catch(() => undefined);
  }
  if (lock) await checkProxyRoutes(ctx, store, journal);

  const durationMs = clock.now() - t0;
  Object.assign(record, {
    outcome: result.outcome,
    finishedAt: new Date(clock.now()).toISOString(),
    durationMs,
    ...(result.url ? { url: result.url } : {}),
    ...(result.container ? { container: result.container } : {}),
    ...(result.previous ? { previous: result.previous } : {}),
    ...(result.error ? { error: { code: result.error.code, message: result.error.message } } : {}),
  });
  await store
    .writeDeploy(record)
    .catch((e) => journal.warn("record", `could not write the deploy record: ${errorMessage(e)}`));
  const final: DeployResult = { ...summary(), durationMs };
  if (reporting) await hooks.finished(info, final);
  await journal.flush();
  return final;
}
