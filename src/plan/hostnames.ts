// The route's names for an instance: the workload's own `domains` for a stage's untagged
// instance, else the config's hostname patterns under its domain. With more than one routed
// workload the default patterns name the workload, so web and api never share a hostname.
import { own } from "../config/lookup.js";
import type { Config, WorkloadConfig } from "../config/schema.js";
import { type HostnamePatterns, hostname } from "./names.js";

const SINGLE: HostnamePatterns = {
  untagged: "stage-{stage}-{project}",
  tagged: "stage-{stage}-{project}-{tag}",
};
const SEVERAL: HostnamePatterns = {
  untagged: "stage-{stage}-{project}-{workload}",
  tagged: "stage-{stage}-{project}-{workload}-{tag}",
};

/** A workload the proxy routes to: it has an HTTP port (a static site and a compose service do). */
export function isRouted(w: WorkloadConfig): boolean {
  return w.port !== undefined || w.source === "static" || (w.source === "compose" && !!w.service);
}

/** The patterns in force: the config's own, else the defaults for its number of routed workloads. */
export function hostnamePatterns(config: Config): HostnamePatterns {
  const several = Object.values(config.workloads).filter(isRouted).length > 1;
  const defaults = several ? SEVERAL : SINGLE;
  return {
    untagged: config.hostname_pattern ?? defaults.untagged,
    tagged: config.tag_hostname_pattern ?? defaults.tagged,
  };
}

export interface InstanceNames {
  project: string;
  workload: string;
  stage: string;
  tag?: string;
}

/**
 * Every name the instance is routed on; the first is its URL. `patterns`: hostnamePatterns(config)
 * when the caller has it already (it counts the routed workloads: once per instance, a check over
 * every instance would be quadratic in the workloads).
 */
export function routeHostnames(
  config: Config,
  names: InstanceNames,
  patterns: HostnamePatterns = hostnamePatterns(config),
): string[] {
  // Own keys only: a stage named "constructor" must not find Object.prototype's function.
  const domains = names.tag === undefined ? own(config.workloads, names.workload)?.domains : undefined;
  const named = domains ? own(domains, names.stage) : undefined;
  if (named && named.length > 0) return [...named];
  const label = hostname(patterns, names);
  return [config.domain ? `${label}.${config.domain}` : label];
}

/** The route's main name: `stage-production-shop.example.com` (the label alone without a domain). */
export function routeHostname(config: Config, names: InstanceNames): string {
  return routeHostnames(config, names)[0]!;
}

/** The instance's URL, known before any container starts; "" without a proxy (no route). */
export function instanceUrl(config: Config, hostnames: string[]): string {
  // Behind a load balancer the users' way in is its route, whatever each host's proxy is.
  if (config.load_balancer) return `${config.load_balancer.tls ? "https" : "http"}://${hostnames[0]}`;
  if (config.proxy.driver === "none") return "";
  return `${config.proxy.tls ? "https" : "http"}://${hostnames[0]}`;
}
