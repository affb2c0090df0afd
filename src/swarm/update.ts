// A deploy to a Swarm manager, in place of blue-green: the workload is one service, and Swarm does
// the swap. The service is created, or updated start-first (a new task runs and passes its health
// check — the gate — before an old one stops); Swarm watches each new task for the monitor window
// and rolls the update back itself when one fails. This waits for Swarm's verdict, then points the
// route at the service's tasks and persists the release. A rolled-back update is a failed deploy
// with the old tasks still serving, as a failed gate is for a plain host.
import { TinyforgeError } from "../errors.js";
import { LABEL } from "../plan/labels.js";
import { serviceSpec } from "../plan/swarm-service.js";
import type { ServiceInfo, ServiceSpec, Swarm, TaskInfo } from "../ports/swarm.js";
import type { Swap } from "../deploy/blue-green.js";
import { persistActive, pointRoute, reap, type Run, runLabels } from "../deploy/run.js";
import { serviceName } from "../plan/names.js";
import { ensureOwnNetwork } from "../deploy/networks.js";
import { assertOwnService, removeService } from "./service.js";

/** How often Swarm's progress is read while it converges. */
const POLL_MS = 500;

export async function swarmSwap(run: Run, swarm: Swarm): Promise<Swap> {
  const { ctx, req } = run;
  const previous = run.state.active;
  const owner = { project: ctx.config.project, key: run.state.key };
  const spec = planService(run, serviceName({ project: ctx.config.project, ...req }));
  // Another project's service (or one made by hand) under this name is refused before anything.
  const before = await swarm.service(spec.name);
  if (before) assertOwnService(before, owner);
  await run.steps.run("network", () =>
    ensureOwnNetwork(ctx, swarm, spec.network, { [LABEL.project]: ctx.config.project }),
  );
  const id = await run.steps.run(before ? "update" : "service", async () => {
    if (!before) return swarm.create(spec);
    await swarm.update(before.id, before.version, spec);
    return before.id;
  });
  run.journal.info(
    before ? "update" : "service",
    `${spec.name}: ${spec.replicas} × ${spec.image}${before ? ", start-first" : ""}`,
  );
  try {
    await run.steps.run("converge", () => (before ? updated(run, swarm, spec) : started(run, swarm, spec)));
  } catch (e) {
    // A first deploy that never became healthy leaves nothing behind; an update Swarm rolled back
    // leaves the old tasks serving.
    if (!before) await swarm.remove(id).catch(() => undefined);
    throw e;
  }
  const url = await run.steps.run("route", () => pointRoute(run, { name: spec.name }));
  const active = {
    deployId: req.deployId,
    ...(req.origin ? { origin: req.origin } : {}),
    sha: req.sha,
    ...(req.dirty ? { dirty: true as const } : {}),
    image: run.image,
    container: spec.name,
    containerId: id,
    ...(url ? { url } : {}),
    strategy: run.strategy,
    deployedAt: new Date(ctx.clock.now()).toISOString(),
  };
  await run.steps.run("persist", () => persistActive(run, active, previous));
  // The release before served from a service of the older name (project-workload-stage): it goes.
  const legacy = previous && previous.container !== spec.name ? previous.container : undefined;
  const retire = legacy
    ? () => reap(run, async () => void (await removeService(swarm, legacy, owner)), legacy)
    : undefined;
  return { active, ...(previous ? { previous } : {}), ...(retire ? { retire } : {}) };
}

function planService(run: Run, base: string): ServiceSpec {
  const { ctx, req, w } = run;
  return serviceSpec({
    name: base,
    image: run.image,
    labels: runLabels(run),
    workload: w,
    secretValues: ctx.secrets,
    meta: { sha: req.sha, stage: req.stage, deployId: req.deployId, tag: req.tag },
    config: ctx.config,
  });
}

/**
 * Bound on Swarm's convergence: every replica's health check may use all its retries, then the
 * monitor window, with a minute for scheduling and image pulls on a loaded node.
 */
function deadlineMs(spec: ServiceSpec): number {
  const h = spec.health;
  const perTask = (h ? h.retries * (h.intervalMs + h.timeoutMs) : 0) + spec.monitorMs;
  return 60_000 + perTask * spec.replicas;
}

/** A new service: every replica running (healthy, with a health check). */
async function started(run: Run, swarm: Swarm, spec: ServiceSpec): Promise<void> {
  const clock = run.ctx.clock;
  const t0 = clock.now();
  for (;;) {
    const tasks = await swarm.tasks(spec.name);
    const running = tasks.filter((t) => t.desired === "running" && t.state === "running").length;
    if (running >= spec.replicas) {
      // Running now is not running through the monitor window: a task that dies at once is caught.
      await clock.sleep(spec.monitorMs);
      const again = await swarm.tasks(spec.name);
      if (again.filter((t) => t.desired === "running" && t.state === "running").length >= spec.replicas)
        return;
    }
    const failed = tasks.filter((t) => t.state === "failed" || t.state === "rejected");
    if (failed.length >= spec.replicas * 3 || clock.now() - t0 > deadlineMs(spec)) {
      throw new TinyforgeError(
        "health_timeout",
        `${spec.name}: ${running} of ${spec.replicas} tasks became healthy${reasons(failed)}`,
        { hint: "check the service's health check path and the app's logs (docker service logs)" },
      );
    }
    await clock.sleep(POLL_MS);
  }
}

/** An update: Swarm's own verdict, completed or rolled back. */
async function updated(run: Run, swarm: Swarm, spec: ServiceSpec): Promise<void> {
  const clock = run.ctx.clock;
  const t0 = clock.now();
  for (;;) {
    const s = await swarm.service(spec.name);
    if (!s) throw new TinyforgeError("deploy_failed", `${spec.name} was removed during the update`);
    const state = s.update?.state;
    if (state === "completed") return;
    if (state === "rollback_completed" || state === "rollback_paused" || state === "paused") {
      const failed = (await swarm.tasks(spec.name)).filter(
        (t) => t.image === spec.image && (t.state === "failed" || t.state === "rejected" || t.error),
      );
      throw rolledBack(s, failed);
    }
    if (clock.now() - t0 > deadlineMs(spec)) {
      throw new TinyforgeError(
        "health_timeout",
        `${spec.name}: Swarm's update did not finish within ${Math.round(deadlineMs(spec) / 1000)}s (${state ?? "pending"})`,
        {
          hint: "docker service ps shows where it stands; docker service rollback returns to the previous spec",
        },
      );
    }
    await clock.sleep(POLL_MS);
  }
}

function rolledBack(s: ServiceInfo, failed: TaskInfo[]): TinyforgeError {
  const how = s.update?.state === "rollback_completed" ? "rolled the update back" : "paused the update";
  return new TinyforgeError(
    "health_timeout",
    `${s.name}: Swarm ${how}; the previous release still serves${reasons(failed)}`,
    { hint: "check the service's health check path and the new release's logs (docker service logs)" },
  );
}

function reasons(failed: TaskInfo[]): string {
  const why = [...new Set(failed.map((t) => t.error).filter(Boolean))].slice(0, 2);
  return why.length ? ` (${why.join("; ")})` : "";
}
