// A route as Caddy's JSON config holds it, and back. Pure: the exact object is asserted in unit
// tests. The "@id" is what lets the driver address the route (/id/X) without knowing its index.
import type { Route } from "../../ports/proxy.js";
import { parseHostPort, routeNames, withNames } from "./check.js";

export interface CaddyRoute {
  "@id": string;
  match: Array<{ host: string[] }>;
  handle: Array<ReverseProxy>;
  terminal: true;
}

interface ReverseProxy {
  handler: "reverse_proxy";
  upstreams: Array<{ dial: string }>;
  dynamic_upstreams?: { source: "a"; name: string; port: string; refresh: string };
  load_balancing?: Spread["load_balancing"] | Balance["load_balancing"];
  health_checks?: Balance["health_checks"];
}

/**
 * A load balancer's route over several hosts. Active checks ask each host's container the
 * workload's health path: one that fails is left out until it answers again. A request whose
 * connection to a host failed (the host died between two checks) is tried on the next host for up
 * to 5 s — any method: nothing was sent yet — and the failure counts against that host for 10 s.
 */
interface Balance {
  load_balancing: { selection_policy: { policy: "round_robin" }; try_duration: string; try_interval: string };
  health_checks: {
    active: { uri: string; interval: string; timeout: string };
    passive: { fail_duration: string; max_fails: number };
  };
}

function balance(health: NonNullable<Route["health"]>): Balance {
  return {
    load_balancing: {
      selection_policy: { policy: "round_robin" },
      try_duration: "5s",
      try_interval: "100ms",
    },
    health_checks: {
      active: { uri: health.path, interval: health.interval, timeout: "2s" },
      passive: { fail_duration: "10s", max_fails: 1 },
    },
  };
}

/**
 * A spread route (a Swarm service's tasks behind tasks.SERVICE). Caddy looks the name's A records
 * up once a second rather than on every connection: Docker's embedded DNS, asked per connection by
 * 32 clients of an app that closes each connection, times out on a loaded machine. When a lookup
 * fails, the static `upstreams` (the same name, resolved at dial) are used instead. A request that
 * failed before its reply — a task Swarm just stopped, a new task not reachable yet — is tried
 * again on the next address for up to 10 s, for requests safe to send twice.
 */
type Spread = Required<Pick<ReverseProxy, "dynamic_upstreams">> & {
  load_balancing: {
    selection_policy: { policy: "round_robin" };
    try_duration: string;
    try_interval: string;
    retry_match: Array<{ method: string[] }>;
  };
};

function spread(host: string, port: number): Spread {
  return {
    dynamic_upstreams: { source: "a", name: host, port: String(port), refresh: "1s" },
    load_balancing: {
      selection_policy: { policy: "round_robin" },
      try_duration: "10s",
      try_interval: "50ms",
      retry_match: [{ method: ["GET", "HEAD", "OPTIONS"] }],
    },
  };
}

/** One id per hostname: the hostname is already checked to be [a-z0-9.-], safe in a URL path. */
export function caddyRouteId(hostname: string): string {
  return `tinyforge-${hostname}`;
}

export function caddyRoute(route: Route): CaddyRoute {
  return {
    "@id": caddyRouteId(route.hostname),
    // Every name in one matcher: one route, one upstream, one swap for all of them.
    match: [{ host: routeNames(route) }],
    handle: [
      {
        handler: "reverse_proxy",
        upstreams: (route.upstreams ?? [route.upstream]).map((u) => ({ dial: `${u.host}:${u.port}` })),
        ...(route.spread ? spread(route.upstream.host, route.upstream.port) : {}),
        ...(route.health ? balance(route.health) : {}),
      },
    ],
    // No later route (a catch-all) gets a say once this one matched.
    terminal: true,
  };
}

/** Reads back a route this driver wrote; undefined when the object is not one of ours. */
export function routeFromCaddy(hostname: string, tls: boolean, json: unknown): Route | undefined {
  const r = json as Partial<CaddyRoute> | undefined;
  const h = r?.handle?.find((x) => x?.handler === "reverse_proxy");
  const dial = h?.upstreams?.[0]?.dial;
  const upstream = typeof dial === "string" ? parseHostPort(dial) : undefined;
  if (!upstream) return undefined;
  const hosts = r?.match?.[0]?.host;
  const aliases = Array.isArray(hosts) ? hosts.filter((n) => typeof n === "string" && n !== hostname) : [];
  const route = withNames([hostname, ...aliases], { upstream, tls });
  if (h?.dynamic_upstreams) return { ...route, spread: true as const };
  const active = h?.health_checks?.active;
  if (!active) return route;
  const upstreams = (h?.upstreams ?? []).flatMap((u) => parseHostPort(String(u?.dial)) ?? []);
  return { ...route, upstreams, health: { path: active.uri, interval: active.interval } };
}

/** Caddy answers the config as it stores it: compare as data, not as text (key order varies). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
