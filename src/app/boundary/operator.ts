// What only the bot's operator decides, whatever a pushed tinyforge.yml says: where deploys go
// (hosts), the proxy routes are written to (its driver, admin API, nginx command and config dir),
// the load balancer in front of the hosts (its host, driver and the hosts' private addresses),
// where state lives, the address ports are published on, how long a deploy waits for a lock and
// how long an SSH connection may take to open or stay silent (the bot's defaults).
// The repo's values are taken out and the operator's put in, before the config is validated.
import type { output } from "zod/mini";
import type { loadBalancerSchema, proxySchema } from "../../config/schema.js";

export interface OperatorSettings {
  hosts: string[];
  /** A stage's own hosts (stages.S.hosts), by stage name. */
  stage_hosts?: Record<string, string[]>;
  proxy?: output<typeof proxySchema>;
  /** The proxy in front of a stage's hosts; a repo's load_balancer: is ignored, never used. */
  load_balancer?: output<typeof loadBalancerSchema>;
  state_dir?: string;
  publish_ip?: string;
  /** Milliseconds. */
  lock_timeout?: number;
}

/** Top-level keys a repository's file may not set when the bot deploys it. */
export const OPERATOR_KEYS = [
  "hosts",
  "proxy",
  "load_balancer",
  "state_dir",
  "publish_ip",
  "lock_timeout",
  "ssh",
] as const;

type Data = Record<string, unknown>;

const isMap = (v: unknown): v is Data => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The repo's config data with the operator's settings in place of its own, and the key paths
 * the repo set that were ignored. Data that is not a mapping is returned as is (the loader says
 * what is wrong with it).
 */
export function withOperatorSettings(
  data: unknown,
  op: OperatorSettings,
): { data: unknown; ignored: string[] } {
  if (!isMap(data)) return { data, ignored: [] };
  const out: Data = { ...data };
  const ignored: string[] = [];
  for (const key of OPERATOR_KEYS) {
    if (Object.hasOwn(out, key)) {
      ignored.push(key);
      delete out[key];
    }
  }
  if (isMap(out.stages)) {
    const stages: Data = {};
    for (const [name, s] of Object.entries(out.stages)) {
      if (!isMap(s)) {
        stages[name] = s;
        continue;
      }
      if (Object.hasOwn(s, "hosts")) ignored.push(`stages.${name}.hosts`);
      const { hosts: _, ...rest } = s;
      const own = op.stage_hosts && Object.hasOwn(op.stage_hosts, name) ? op.stage_hosts[name] : undefined;
      stages[name] = own ? { ...rest, hosts: own } : rest;
    }
    out.stages = stages;
  }
  out.hosts = op.hosts;
  if (op.proxy) out.proxy = op.proxy;
  if (op.load_balancer)
    out.load_balancer = { ...op.load_balancer, health_interval: `${op.load_balancer.health_interval}ms` };
  if (op.state_dir !== undefined) out.state_dir = op.state_dir;
  if (op.publish_ip !== undefined) out.publish_ip = op.publish_ip;
  if (op.lock_timeout !== undefined) out.lock_timeout = `${op.lock_timeout}ms`;
  return { data: out, ignored };
}

/** The one line a status or PR comment carries when the repo set operator-only keys. */
export function ignoredNote(ignored: string[]): string | undefined {
  if (ignored.length === 0) return undefined;
  return `ignored in the repo's config (the bot's operator sets ${ignored.length === 1 ? "it" : "them"}): ${ignored.join(", ")}`;
}
