// What a deploy will do, decided before anything is touched: the workload as it runs (a static
// site's defaults filled in, its instance's env), the names, the strategy, its id. Pure, given the config.
import { monotonicFactory } from "ulid";
import { stageOf, workloadOf } from "../config/lookup.js";
import type { Config, Strategy, WorkloadConfig } from "../config/schema.js";
import { containerBaseName, instanceKey, validateRequest } from "../plan/names.js";
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
  info: DeployInfo;
}

/** The workload as a deploy runs it: a static site's defaults filled in (port, storage volume). */
function effectiveWorkload(w: WorkloadConfig, base: string): WorkloadConfig {
  if (w.source !== "static") return w;
  const volumes = staticMode(w) === "deno" && w.storage ? [...w.volumes, storageVolume(base)] : w.volumes;
  return { ...w, port: staticPort(w), volumes };
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
  const effective = effectiveWorkload(configured, base);
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
