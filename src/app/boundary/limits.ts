// What a repository's containers may take of a shared host: the operator caps memory, CPUs and
// Swarm replicas (projects.P.limits), and how long each duration a repo sets may hold a bot job
// (the workload+stage lane waits behind it): the release step, the health gate (retries ×
// interval, and each probe), the liveness window, the drain, the stop grace and Swarm's monitor.
// A repo asking more is refused with the key path; a repo asking nothing gets the operator's
// memory and CPU limits, so no container of the bot's runs unbounded where they are set.
import { parseMemory } from "../../config/values.js";
import type { Config } from "../../config/schema.js";
import { formatDuration } from "../../config/duration.js";

export interface ResourceLimits {
  /** Each container's memory limit ("512m"); unset: no cap. */
  memory?: string;
  /** Each container's CPU limit in cores; unset: no cap. */
  cpus?: number;
  /** Most Swarm tasks of one workload. */
  replicas?: number;
  /** Milliseconds: the longest release.timeout. */
  release_timeout?: number;
  /** Milliseconds: the longest swarm.monitor. */
  swarm_monitor?: number;
  /** Milliseconds: the longest health gate, healthcheck.retries × healthcheck.interval. */
  healthcheck_window?: number;
  /** Milliseconds: the longest healthcheck.timeout (one probe; Swarm's check waits it per retry). */
  healthcheck_timeout?: number;
  /** Milliseconds: the longest liveness_window (the gate of a workload without a healthcheck). */
  liveness_window?: number;
  /** Milliseconds: the longest drain. */
  drain?: number;
  /** Milliseconds: the longest stop_timeout. */
  stop_timeout?: number;
}

/** The bot's caps where the operator sets none: a bot job is never held for hours by a repo. */
export const DEFAULT_CAPS = {
  replicas: 10,
  release_timeout: 30 * 60_000,
  swarm_monitor: 2 * 60_000,
  healthcheck_window: 30 * 60_000,
  healthcheck_timeout: 60_000,
  liveness_window: 30 * 60_000,
  drain: 5 * 60_000,
  stop_timeout: 5 * 60_000,
};

const hum = (ms: number) =>
  ms % 3_600_000 === 0
    ? `${ms / 3_600_000}h`
    : ms % 60_000 === 0
      ? `${ms / 60_000}m`
      : ms < 60_000 && ms % 1000 === 0
        ? `${ms / 1000}s`
        : formatDuration(ms);

/** One line per key the repo set past the operator's limits. */
export function limitProblems(
  config: Config,
  limits: ResourceLimits | undefined,
  where: string,
  workloads?: string[],
): string[] {
  const l = { ...DEFAULT_CAPS, ...limits };
  const key = (k: string) => `${where}.limits.${k}`;
  const problems: string[] = [];
  for (const [name, w] of Object.entries(config.workloads)) {
    if (workloads && !workloads.includes(name)) continue;
    const at = `workloads.${name}`;
    const mem = w.resources?.memory;
    if (mem !== undefined && l.memory !== undefined && parseMemory(mem)! > parseMemory(l.memory)!)
      problems.push(`${at}.resources.memory: ${mem} is more than ${key("memory")} (${l.memory})`);
    const cpus = w.resources?.cpus;
    if (cpus !== undefined && l.cpus !== undefined && cpus > l.cpus)
      problems.push(`${at}.resources.cpus: ${cpus} is more than ${key("cpus")} (${l.cpus})`);
    if (w.replicas !== undefined && w.replicas > l.replicas)
      problems.push(`${at}.replicas: ${w.replicas} is more than ${key("replicas")} (${l.replicas})`);
    const longer = (path: string, ms: number, cap: Exclude<keyof typeof DEFAULT_CAPS, "replicas">) => {
      if (ms > l[cap]) problems.push(`${at}.${path}: ${hum(ms)} is more than ${key(cap)} (${hum(l[cap])})`);
    };
    if (w.release) longer("release.timeout", w.release.timeout, "release_timeout");
    const hc = w.healthcheck;
    if (hc && hc.retries * hc.interval > l.healthcheck_window)
      problems.push(
        `${at}.healthcheck: retries × interval (${hc.retries} × ${hum(hc.interval)} = ${hum(hc.retries * hc.interval)}) is more than ${key("healthcheck_window")} (${hum(l.healthcheck_window)})`,
      );
    if (hc) longer("healthcheck.timeout", hc.timeout, "healthcheck_timeout");
    longer("liveness_window", w.liveness_window, "liveness_window");
    longer("drain", w.drain, "drain");
    longer("stop_timeout", w.stop_timeout, "stop_timeout");
  }
  if (config.swarm.monitor > l.swarm_monitor)
    problems.push(
      `swarm.monitor: ${hum(config.swarm.monitor)} is more than ${key("swarm_monitor")} (${hum(l.swarm_monitor)})`,
    );
  return problems;
}

/** The config with the operator's memory and CPU limits where a workload sets none. */
export function withLimits(config: Config, limits: ResourceLimits | undefined): Config {
  if (limits?.memory === undefined && limits?.cpus === undefined) return config;
  const workloads = Object.fromEntries(
    Object.entries(config.workloads).map(([name, w]) => [
      name,
      {
        ...w,
        resources: {
          ...w.resources,
          ...((w.resources?.memory ?? limits.memory) !== undefined
            ? { memory: w.resources?.memory ?? limits.memory }
            : {}),
          ...((w.resources?.cpus ?? limits.cpus) !== undefined
            ? { cpus: w.resources?.cpus ?? limits.cpus }
            : {}),
        },
      },
    ]),
  );
  return { ...config, workloads };
}
