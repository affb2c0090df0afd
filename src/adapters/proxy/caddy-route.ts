// A route as Caddy's JSON config holds it, and back. Pure: the exact object is asserted in unit
// tests. The "@id" is what lets the driver address the route (/id/X) without knowing its index.
import type { Route } from "../../ports/proxy.js";
import { parseHostPort } from "./check.js";

export interface CaddyRoute {
  "@id": string;
  match: Array<{ host: string[] }>;
  handle: Array<ReverseProxy>;
  terminal: true;
}

interface ReverseProxy {
  handler: "reverse_proxy";
  upstreams: Array<{ dial: string }>;
  load_balancing?: Retries;
}

/**
 * A spread route (a Swarm service's tasks behind tasks.SERVICE): each connection resolves the name
 * and Go's dialer tries every address in turn, so a task Swarm just stopped is skipped. What still
 * fails before a reply — a lookup that timed out on Docker's embedded DNS under load, a reply cut
 * short by a task's exit — is tried again for up to 10 s, for requests safe to send twice.
 * (Caddy's dynamic A upstreams were tried: cached addresses of new tasks timed out for seconds.)
 */
interface Retries {
  try_duration: string;
  try_interval: string;
  retry_match: Array<{ method: string[] }>;
}

const SPREAD_RETRIES: Retries = {
  try_duration: "10s",
  try_interval: "50ms",
  retry_match: [{ method: ["GET", "HEAD", "OPTIONS"] }],
};

/** One id per hostname: the hostname is already checked to be [a-z0-9.-], safe in a URL path. */
export function caddyRouteId(hostname: string): string {
  return `tinyforge-${hostname}`;
}

export function caddyRoute(route: Route): CaddyRoute {
  return {
    "@id": caddyRouteId(route.hostname),
    match: [{ host: [route.hostname] }],
    handle: [
      {
        handler: "reverse_proxy",
        upstreams: [{ dial: `${route.upstream.host}:${route.upstream.port}` }],
        ...(route.spread ? { load_balancing: SPREAD_RETRIES } : {}),
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
  return { hostname, upstream, tls, ...(h?.load_balancing ? { spread: true as const } : {}) };
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
