// The one way an operation runs, whoever asked: resolve the stage and workloads (one set of
// messages), check what can be checked before any host is opened, then the stage's hosts (a
// deploy: as one release, rollout.ts), under the workload+stage lock, and dispatch to the engine.
import { checkProxySecrets } from "../adapters/proxy/index.js";
import { storeFor } from "../deploy/deploy.js";
import { history, stillRunning } from "../deploy/history.js";
import { markInterrupted } from "../deploy/interrupted.js";
import { forceUnlock } from "../deploy/lock.js";
import { withLock } from "../deploy/locked.js";
import { reconcile } from "../deploy/reconcile.js";
import { type InstanceStatus, lastDeploy, status } from "../deploy/status.js";
import type { DeployRecord } from "../state/model.js";
import { teardownInstance } from "../deploy/teardown.js";
import type { DeployResult, EngineContext } from "../deploy/types.js";
import { TinyforgeError } from "../errors.js";
import { workloadOf } from "../config/lookup.js";
import { bakeHostsProblem } from "../config/values.js";
import { systemClock } from "../ports/clock.js";
import type { Host } from "../ports/host.js";
import { instanceSettings } from "../plan/instance-settings.js";
import { instanceKey, validateName, validateTag } from "../plan/names.js";
import { accessoryAction } from "./accessories.js";
import type {
  AccessoryOp,
  AppLogsOp,
  ConfigOp,
  DeployOp,
  ExecOp,
  HistoryOp,
  HostLines,
  LogsOp,
  Observers,
  Operation,
  Removed,
  ResultOf,
  RollbackOp,
  TeardownOp,
  Unlocked,
} from "./operation.js";
import { appLogsOf, execIn } from "./running.js";
import { expiredLine, expirePreviews } from "./previews.js";
import { doctor } from "./doctor/index.js";
import { engineContext, forEachHost, type Session, withHost } from "./session.js";
import { settle } from "./settle.js";
import { checkFreeze, freezeAll, unfreezeAll } from "./freeze.js";
import { planAll } from "./plan.js";
import { restoreAllRoutes } from "./restore-routes.js";
import { activeFreeze } from "../deploy/freeze.js";
import { agreeAcrossHosts } from "./agree.js";
import { balance, balanceAll } from "./balance.js";
import { rollOut } from "./rollout.js";
import { allHosts, checkStage, resolveStage, resolveWorkloads, stageHosts } from "./stages.js";

export async function execute<O extends Operation>(
  s: Session,
  op: O,
  obs: Observers = {},
): Promise<ResultOf[O["kind"]]> {
  const run = (): Promise<ResultOf[Operation["kind"]]> => {
    switch (op.kind) {
      case "deploy":
      case "rollback":
        return deployAll(s, op as DeployOp | RollbackOp, obs);
      case "teardown":
        return teardownAll(s, op as TeardownOp);
      case "reconcile":
        return op.routes ? restoreAllRoutes(s) : reconcileAll(s);
      case "expire":
        return expirePreviews(s, op.now);
      case "status":
        return statusAll(s, op.workload, op.stage);
      case "history":
        return historyOf(s, op as HistoryOp);
      case "logs":
        return logsOf(s, op as LogsOp, obs);
      case "unlock":
        return unlockAll(s, op.workload, op.stage);
      case "config":
        return settingsOf(s, op as ConfigOp);
      case "app-logs":
        return appLogsOf(s, op as AppLogsOp, obs);
      case "exec":
        return execIn(s, op as ExecOp, obs);
      case "accessory":
        return accessoryAction(s, op as AccessoryOp, obs);
      case "doctor":
        return doctor(s);
      case "settle":
        return settle(s, op);
      case "freeze":
        return freezeAll(s, op);
      case "unfreeze":
        return unfreezeAll(s, op);
      case "plan":
        return planAll(s, op);
    }
  };
  return (await run()) as ResultOf[O["kind"]];
}

/** An engine context with the observers attached. */
function observed(s: Session, host: Host, workload: string, stage: string, obs: Observers): EngineContext {
  const ctx = engineContext(s, host, { workload, stage });
  ctx.hooks = [...(ctx.hooks ?? []), ...(obs.hooks ?? [])];
  if (obs.onEvent) ctx.onEvent = obs.onEvent;
  const onStep = obs.onStep;
  if (onStep) ctx.onStep = (step) => onStep(step, { workload, host: host.name });
  if (obs.bakeCancelledBy) ctx.bakeCancelledBy = obs.bakeCancelledBy;
  return ctx;
}

/**
 * Deploys (or rolls back) each workload in turn to every host of the stage, as one release across
 * them (rollout.ts); a workload that fails stops the rest.
 */
async function deployAll(s: Session, op: DeployOp | RollbackOp, obs: Observers): Promise<DeployResult[]> {
  const workloads = resolveWorkloads(s.config, op.workload);
  const stage = resolveStage(s.config, op.stage);
  // Pre-flight: every secret and the proxy's credentials, before any host is touched.
  for (const w of workloads) s.grants.secrets(s.config, w, stage);
  checkProxySecrets(s.config, {
    proxyUser: s.credentials.proxy.user,
    proxyPassword: s.credentials.proxy.password,
    proxyToken: s.credentials.proxy.token,
  });
  const hosts = stageHosts(s.config, stage);
  // The hosts may be the operator's (the bot's grants), not the file's: checked again here.
  for (const w of workloads) {
    const why = workloadOf(s.config, w).bake ? bakeHostsProblem(hosts, [{}]) : undefined;
    if (why) throw new TinyforgeError("config_invalid", `workloads.${w}.bake: ${why}`);
  }
  // A frozen stage (on any of its hosts) refuses every workload before any host is changed.
  const forced = await checkFreeze(s, op, { stage, hosts, workloads }, obs);
  const results: DeployResult[] = [];
  // The announced deploy id names the first workload's rollout; the others get their own.
  let deployId = op.kind === "deploy" ? obs.announced?.deployId : undefined;
  for (const workload of workloads) {
    const got = await rollOut(s, { op, workload, stage, hosts, deployId, forced }, (host) => {
      const ctx = observed(s, host, workload, stage, obs);
      if (op.kind === "deploy" && obs.announced) {
        ctx.hooks = obs.announced.hooks;
        ctx.announced = true;
      }
      if (op.kind === "deploy" && op.sourceDir) ctx.configDir = op.sourceDir;
      obs.onStart?.({ workload, stage, host: host.name });
      return ctx;
    });
    deployId = undefined;
    for (const r of got) {
      results.push(r);
      obs.onResult?.(r);
    }
    if (got.length < hosts.length || got.some((r) => r.outcome === "failed")) break;
  }
  return results;
}

async function teardownAll(s: Session, op: TeardownOp): Promise<Removed[]> {
  const workloads = resolveWorkloads(s.config, op.workload);
  const stage = resolveStage(s.config, op.stage);
  const out: Removed[] = [];
  await forEachHost(s, stageHosts(s.config, stage), async (host) => {
    const ctx = engineContext(s, host);
    const store = storeFor(ctx);
    for (const workload of workloads) {
      const key = instanceKey({ workload, stage, tag: op.tag });
      const lines = await withLock(ctx, store, { workload, stage }, () =>
        teardownInstance(ctx, store, { workload, stage, tag: op.tag, key }),
      );
      out.push({ host: host.name, workload, stage, tag: op.tag ?? null, key, lines });
    }
    return true;
  });
  // The load balancer stops sending the instance to hosts that no longer serve it.
  for (const workload of workloads) await balance(s, { workload, stage, tag: op.tag });
  return out;
}

async function reconcileAll(s: Session): Promise<HostLines[]> {
  const out: HostLines[] = [];
  await forEachHost(s, allHosts(s.config), async (host) => {
    const ctx = engineContext(s, host);
    const store = storeFor(ctx);
    // Every pair the config names, plus any the host has state for (a workload since removed).
    const pairs = new Set<string>();
    for (const w of Object.keys(s.config.workloads))
      for (const st of Object.keys(s.config.stages)) pairs.add(`${w}\0${st}`);
    for (const i of await store.listInstances()) pairs.add(`${i.workload}\0${i.stage}`);
    const lines: string[] = [];
    for (const pair of [...pairs].sort()) {
      const [workload, stage] = pair.split("\0") as [string, string];
      lines.push(
        ...(await withLock(ctx, store, { workload, stage }, (lock) =>
          reconcile(ctx, store, { workload, stage, interrupted: lock.tookOver }),
        )),
      );
    }
    out.push({ host: host.name, lines });
    return true;
  });
  // A deploy that died halfway through its rollout: the hosts serve one release again.
  const agreed = await agreeAcrossHosts(s);
  if (agreed.length > 0) out.push({ host: "hosts", lines: agreed });
  // Previews past their preview_ttl go, as the bot's timer would take them.
  for (const e of await expirePreviews(s, systemClock.now())) {
    const row = out.find((r) => r.host === e.host);
    if (row) row.lines.push(expiredLine(e));
    else out.push({ host: e.host, lines: [expiredLine(e)] });
  }
  // The load balancer lists what each host serves now.
  const balanced = await balanceAll(s);
  if (balanced.length > 0) out.push({ host: "load balancer", lines: balanced });
  return out;
}

async function statusAll(s: Session, workload?: string, stage?: string): Promise<ResultOf["status"]> {
  if (workload !== undefined) resolveWorkloads(s.config, workload);
  if (stage !== undefined) checkStage(s.config, stage);
  const filter = { workload, stage };
  const rows: InstanceStatus[] = [];
  const frozen: ResultOf["status"]["frozen"] = [];
  let last: DeployRecord | undefined;
  const stages = stage === undefined ? Object.keys(s.config.stages) : [stage];
  for (const entry of stage === undefined ? allHosts(s.config) : stageHosts(s.config, stage)) {
    await withHost(s, entry, async (host) => {
      const ctx = engineContext(s, host);
      rows.push(...(await status(ctx, filter)));
      // Nothing serves: torn down (history exists) is not the same as never deployed.
      if (rows.length === 0) last ??= await lastDeploy(ctx, filter);
      // The freezes of the stages this host belongs to (each of a stage's hosts keeps its copy).
      for (const st of stages.filter((st) => stageHosts(s.config, st).includes(entry))) {
        const freeze = await activeFreeze(storeFor(ctx), st, systemClock.now());
        if (freeze) frozen.push({ host: host.name, freeze });
      }
    });
  }
  return { rows: markSplit(rows), frozen, ...(last ? { last } : {}) };
}

/** Rows of an instance whose hosts serve different releases (SHAs) are marked `split`. */
function markSplit(rows: InstanceStatus[]): InstanceStatus[] {
  const releases = new Map<string, Set<string | null>>();
  const keyOf = (r: InstanceStatus) => `${r.workload}\0${r.stage}\0${r.tag ?? ""}`;
  for (const r of rows)
    releases.set(keyOf(r), (releases.get(keyOf(r)) ?? new Set()).add(`${r.sha}${r.dirty ? "+dirty" : ""}`));
  return rows.map((r) => ((releases.get(keyOf(r))?.size ?? 0) > 1 ? { ...r, split: true as const } : r));
}

async function historyOf(s: Session, op: HistoryOp): Promise<ResultOf["history"]> {
  resolveWorkloads(s.config, op.workload);
  if (op.stage !== undefined) checkStage(s.config, op.stage);
  const rows: ResultOf["history"] = [];
  const hosts = op.stage === undefined ? allHosts(s.config) : stageHosts(s.config, op.stage);
  await forEachHost(s, hosts, async (host) => {
    const recs = await history(storeFor(engineContext(s, host)), op);
    rows.push(...recs.map((r) => ({ ...r, host: host.name })));
    return true;
  });
  rows.sort((a, b) => b.deployId.localeCompare(a.deployId));
  return rows.slice(0, op.limit);
}

async function logsOf(s: Session, op: LogsOp, obs: Observers): Promise<ResultOf["logs"]> {
  let found = false;
  let interrupted = false;
  await forEachHost(s, allHosts(s.config), async (host) => {
    const store = storeFor(engineContext(s, host));
    let rec = await store.readDeploy(op.deployId);
    if (!rec) return true;
    found = true;
    let shown = 0;
    const show = async () => {
      const events = await store.readEvents(op.deployId);
      for (const e of events.slice(shown)) obs.onEvent?.(e);
      shown = Math.max(shown, events.length);
    };
    for (;;) {
      await show();
      if (!op.follow) break;
      rec = (await store.readDeploy(op.deployId)) ?? rec;
      if (rec.outcome !== "running") break;
      if (!(await stillRunning(store, rec))) {
        // A deploy releases its lock just before it writes its outcome: look again after a moment.
        await systemClock.sleep(1000);
        rec = (await store.readDeploy(op.deployId)) ?? rec;
        if (rec.outcome !== "running") continue;
        // Read once more: the last batch may have landed just before the lease went.
        await show();
        interrupted = true;
        break;
      }
      await systemClock.sleep(300);
    }
    // A rollout has one deploy id on every host of its stage: each host's events follow.
    return true;
  });
  if (!found)
    throw new TinyforgeError("not_found", `no deploy ${op.deployId} on ${allHosts(s.config).join(", ")}`);
  return { interrupted };
}

async function unlockAll(s: Session, workload: string, stage: string): Promise<Unlocked[]> {
  resolveWorkloads(s.config, workload);
  try {
    checkStage(s.config, stage);
  } catch (e) {
    // The stage would become a path on the host: one with path syntax is refused as such.
    if (!/^[\w-]+$/.test(stage)) validateName("stage", stage);
    throw e;
  }
  const out: Unlocked[] = [];
  await forEachHost(s, stageHosts(s.config, stage), async (host) => {
    const store = storeFor(engineContext(s, host));
    const holder = await forceUnlock(store.files, store.lockDir(workload, stage));
    // Its holder is gone (that is why one unlocks): its deploy will never finish.
    if (holder) await markInterrupted(store, holder);
    out.push({ host: host.name, workload, stage, ...(holder ? { holder } : {}) });
    return true;
  });
  return out;
}

/** What a deploy of this instance would run, from the config alone: no host is opened. */
async function settingsOf(s: Session, op: ConfigOp): Promise<ResultOf["config"]> {
  const [workload] = resolveWorkloads(s.config, op.workload);
  const stage = resolveStage(s.config, op.stage);
  if (op.tag !== undefined) validateTag(op.tag);
  return instanceSettings(s.config, { workload: workload!, stage, tag: op.tag, sha: op.sha });
}
