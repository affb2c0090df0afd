// Pure: the load balancer's route over a stage's hosts, and where each host is reached from it.
import type { Config } from "../config/schema.js";
import type { Route, Upstream } from "../ports/proxy.js";

export type LoadBalancer = NonNullable<Config["load_balancer"]>;

/**
 * The address a host's containers publish their port on and the load balancer dials: the host's
 * private address when load_balancer.private_addresses names it, else publish_ip (the host's SSH
 * address when that is 0.0.0.0, every address).
 */
export function publishAddress(config: Config, entry: string, sshAddress: string): string {
  const own = config.load_balancer?.private_addresses;
  if (own && Object.hasOwn(own, entry)) return own[entry]!;
  return config.publish_ip === "0.0.0.0" ? sshAddress : config.publish_ip;
}

/** The route over these upstreams (sorted: the same hosts give the same route); none without any. */
export function balancedRoute(
  lb: LoadBalancer,
  [hostname, ...aliases]: string[],
  upstreams: Upstream[],
  healthPath = "/",
): Route | undefined {
  if (upstreams.length === 0) return undefined;
  const sorted = [...upstreams].sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
  return {
    hostname: hostname!,
    ...(aliases.length ? { aliases } : {}),
    upstream: sorted[0]!,
    upstreams: sorted,
    tls: lb.tls,
    health: { path: healthPath, interval: `${lb.health_interval}ms` },
  };
}

/** The load balancer's proxy, as a proxy: section (the drivers take that). */
export function lbProxy(lb: LoadBalancer): Config["proxy"] {
  return {
    driver: lb.driver,
    tls: lb.tls,
    ...(lb.admin !== undefined ? { admin: lb.admin } : {}),
    ...(lb.server !== undefined ? { server: lb.server } : {}),
    ...(lb.config_dir !== undefined ? { config_dir: lb.config_dir } : {}),
    ...(lb.command !== undefined ? { command: lb.command } : {}),
    ...(lb.listen !== undefined ? { listen: lb.listen } : {}),
  };
}
