// What a deploy will do, decided before anything is touched: the workload as it runs (a static
// site's defaults filled in, its instance's env), the names, the strategy, its id. Pure, given the config.
import { monotonicFactory } from "ulid";
import { stageOf, workloadOf } from "../config/lookup.js";
import type { Config, Strategy, WorkloadConfig } from "../config/schema.js";
import { containerBaseName, instanceKey, storageVolumeName, validateRequest } from "../plan/names.js";
import { staticMode, staticPort, storageVolume } from "../plan/static-site.js";
import { resolveStrategy } from "../plan/strategy.js";
import { instanceUrl } from "../plan/hostnames.js";
import { instanceEnv } from "../plan/instance-env.js";
import { routeHostnames } from "./route-name.js";
import type { DeployInfo, DeployRequest } from "./types.js";

// Monotonic: two deploys started in the same millisecond still sort in the order they began.
const ulid = monotonicFactory();

/** A new deploy id (a ULID: ids sort by time). */
export const newDeployId = (): string => ulid();

export interface DeployPlan {
  req: DeployRequest & { deployId: string };
  w: WorkloadConfig;
  strategy: Strategy;
  names: { project: string; workload: string; stage: string; tag?: string };
  /** The instance's state key: workload.stage[.tag]. */
  key: string;
  /** Container base name, also the compose project name. */
  base: string;
  /** The names the instance is routed on; the first is its URL's. */
  hostnames: string[];
  /** A stage's max_instances, else the workload's: older tagged instances beyond it are evicted. */
  maxInstances?: number;
  /** A deno site's storage volume for a new instance; one that serves keeps its own (withStorage). */
  storage?: string;
  info: DeployInfo;
}

/** Whether the workload is a deno site with storage (a volume at STORAGE_PATH, kept across releases). */
function hasStorage(w: WorkloadConfig): boolean {
  return w.source === "static" && staticMode(w) === "deno" && w.storage;
}

/** The workload as a deploy runs it: a static site's defaults filled in (port, storage volume). */
function effectiveWorkload(w: WorkloadConfig, storage: string | undefined): WorkloadConfig {
  if (w.source !== "static") return w;
  const volumes = storage ? [...w.volumes, storageVolume(storage)] : w.volumes;
  return { ...w, port: staticPort(w), volumes };
}

/**
 * The workload as it runs beside the instance's serving container: storage keeps the volume that
 * container mounts there, whatever its name, so a release (a rollback, an upgrade from the
 * PROJECT-WORKLOAD-STAGE-data names of old) never swaps a site's data for an empty volume. Only
 * what the container mounts decides it, never a name guessed from the instance's: that name may
 * be another project's.
 */
export function withStorage(plan: DeployPlan, mounted: string | undefined): WorkloadConfig {
  if (!plan.storage || !mounted || mounted === plan.storage) return plan.w;
  const planned = storageVolume(plan.storage);
  return { ...plan.w, volumes: plan.w.volumes.map((v) => (v === planned ? storageVolume(mounted) : v)) };
}

export function planDeploy(config: Config, request: DeployRequest, hostName: string): DeployPlan {
  const configured = workloadOf(config, request.workload);
  const stage = stageOf(config, request.stage);
  validateRequest(request);
  const names = {
    project: config.project,
    workload: request.workload,
    stage: request.stage,
    tag: request.tag,
  };
  const base = containerBaseName(names);
  const req = { ...request, deployId: request.deployId ?? ulid() };
  const hostnames = routeHostnames(config, names);
  const storage = hasStorage(configured) ? storageVolumeName(names) : undefined;
  const effective = effectiveWorkload(configured, storage);
  // The instance's env: stage env over workload env, placeholders expanded.
  const values = { ...names, sha: req.sha, url: instanceUrl(config, hostnames) };
  const w = { ...effective, env: instanceEnv(effective.env, stage.env, values) };
  const strategy = resolveStrategy(w, req.strategy);
  return {
    req,
    w,
    strategy,
    names,
    key: instanceKey(names),
    base,
    hostnames,
    maxInstances: stage.max_instances ?? w.max_instances,
    ...(storage ? { storage } : {}),
    info: {
      deployId: req.deployId,
      project: config.project,
      workload: req.workload,
      stage: req.stage,
      tag: req.tag ?? null,
      sha: req.sha,
      ref: req.ref ?? null,
      strategy,
      host: hostName,
    },
  };
}
