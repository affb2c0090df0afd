// What one instance (workload × stage × tag) will be, as data: `tinyforge config` prints it, and
// it is computed by the same functions a deploy uses, so it cannot drift from what a deploy does.
import type { Config } from "../config/schema.js";
import { instanceUrl, routeHostnames } from "./hostnames.js";
import { instanceEnv } from "./instance-env.js";
import { containerBaseName } from "./names.js";
import { resolveStrategy } from "./strategy.js";

export interface InstanceSettings {
  project: string;
  workload: string;
  stage: string;
  tag: string | null;
  container: string;
  source: string;
  image: string | null;
  strategy: string;
  routes: string[];
  url: string;
  /** Plain values expanded; each secret by name with its value hidden. */
  env: Record<string, string>;
  release: { command: string[]; timeoutMs: number } | null;
  resources: { memory?: string; cpus?: number } | null;
  network: string | null;
  volumes: string[];
}

export const HIDDEN = "***";

/** The effective settings; `sha` fills {sha} when given, or it stays as written. */
export function instanceSettings(
  config: Config,
  v: { workload: string; stage: string; tag?: string; sha?: string },
): InstanceSettings {
  const w = config.workloads[v.workload]!;
  const names = { project: config.project, workload: v.workload, stage: v.stage, tag: v.tag };
  const routes = routeHostnames(config, names);
  const url = instanceUrl(config, routes);
  const plain = instanceEnv(w.env, config.stages[v.stage]?.env ?? {}, {
    ...names,
    url,
    ...(v.sha ? { sha: v.sha } : {}),
  });
  const secrets = Object.fromEntries(w.secrets.map((name) => [name, HIDDEN]));
  return {
    ...names,
    tag: v.tag ?? null,
    container: containerBaseName(names),
    source: w.source,
    image: w.image ?? null,
    strategy: resolveStrategy(w),
    routes,
    url,
    env: { ...plain, ...secrets },
    release: w.release ? { command: w.release.command, timeoutMs: w.release.timeout } : null,
    resources: w.resources ?? null,
    network: w.network ?? null,
    volumes: w.volumes,
  };
}
