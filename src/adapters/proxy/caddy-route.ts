// A route as Caddy's JSON config holds it, and back. Pure: the exact object is asserted in unit
// tests. The "@id" is what lets the driver address the route (/id/X) without knowing its index.
import type { Route } from "../../ports/proxy.js";
import { parseHostPort, routeNames, withNames } from "./check.js";

export interface CaddyRoute {
  "@id": string;
  match: Array<{ host: string[] }>;
  handle: Array<{ handler: "reverse_proxy"; upstreams: Array<{ dial: string }> }>;
  terminal: true;
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
      { handler: "reverse_proxy", upstreams: [{ dial: `${route.upstream.host}:${route.upstream.port}` }] },
    ],
    // No later route (a catch-all) gets a say once this one matched.
    terminal: true,
  };
}

/** Reads back a route this driver wrote; undefined when the object is not one of ours. */
export function routeFromCaddy(hostname: string, tls: boolean, json: unknown): Route | undefined {
  const r = json as Partial<CaddyRoute> | undefined;
  const dial = r?.handle?.find((h) => h?.handler === "reverse_proxy")?.upstreams?.[0]?.dial;
  const upstream = typeof dial === "string" ? parseHostPort(dial) : undefined;
  if (!upstream) return undefined;
  const hosts = r?.match?.[0]?.host;
  const aliases = Array.isArray(hosts) ? hosts.filter((h) => typeof h === "string" && h !== hostname) : [];
  return withNames([hostname, ...aliases], { upstream, tls });
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
