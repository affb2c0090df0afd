// What every driver checks before a route reaches a proxy: the hostname and upstream end up in an
// admin API path (caddy), a config file (nginx) or a JSON body (npm), so anything but a plain DNS
// name, container name or IP is refused rather than escaped.
import { TinyforgeError } from "../../errors.js";
import type { Route } from "../../ports/proxy.js";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
// Docker container names ([a-zA-Z0-9][a-zA-Z0-9_.-]+) and IPv4 addresses both fit.
const UPSTREAM_HOST = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,253}$/;

export function checkHostname(hostname: string): void {
  if (!HOSTNAME.test(hostname)) {
    throw new TinyforgeError(
      "config_invalid",
      `route hostname ${JSON.stringify(hostname)} is not a DNS name (lowercase letters, digits, "-" and ".")`,
      { hint: "check domain, hostname_pattern and tag_hostname_pattern in the config" },
    );
  }
}

export function checkRoute(route: Route): void {
  checkHostname(route.hostname);
  for (const alias of route.aliases ?? []) checkHostname(alias);
  for (const u of [route.upstream, ...(route.upstreams ?? [])]) checkUpstream(u);
  // The health path goes into the proxy's config as it is: a plain absolute path only.
  if (route.health && !/^\/[A-Za-z0-9._~/-]*$/.test(route.health.path))
    throw new TinyforgeError(
      "config_invalid",
      `health check path ${JSON.stringify(route.health.path)} is not a plain path`,
      {
        hint: "check workloads.W.healthcheck.path",
      },
    );
}

function checkUpstream({ host, port }: Route["upstream"]): void {
  if (!UPSTREAM_HOST.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TinyforgeError(
      "deploy_failed",
      `route upstream ${JSON.stringify(`${host}:${port}`)} is not a container name or address with a port`,
    );
  }
}

/** Every name of a route, the main one first. */
export function routeNames(route: Route): string[] {
  return [route.hostname, ...(route.aliases ?? [])];
}

/** A route with these names: the first is the main one, the rest its aliases. */
export function withNames(names: string[], rest: Omit<Route, "hostname" | "aliases">): Route {
  const [hostname, ...aliases] = names;
  return { hostname: hostname!, ...(aliases.length ? { aliases } : {}), ...rest };
}

/** `host:port` → parts; undefined for anything else. */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^([^:\s]+):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  return { host: m[1]!, port: Number(m[2]) };
}
