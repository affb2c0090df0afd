// Nginx Proxy Manager proxy-host payloads, as data. Pure: exact bodies are asserted in unit tests.
// NPM validates bodies with additionalProperties: false, so nothing it calls read-only (id,
// created_on, owner …) is ever sent back; and an update sends only the fields tinyforge manages
// that differ, so what a person set by hand in NPM (access lists, locations, advanced config) stays.
import type { Route } from "../../ports/proxy.js";

export interface NpmOptions {
  forwardScheme?: "http" | "https";
  certificateId?: number;
  sslForced?: boolean;
  http2Support?: boolean;
  blockExploits?: boolean;
  allowWebsocketUpgrade?: boolean;
}

/** A proxy host as NPM answers it (only what we read). */
export interface NpmProxyHost {
  id: number;
  domain_names: string[];
  forward_scheme: string;
  forward_host: string;
  forward_port: number;
  enabled: boolean | number;
  meta?: { nginx_online?: boolean; nginx_err?: string | null } | null;
  [key: string]: unknown;
}

/** The body keys NPM's POST and PUT schemas accept; everything else is refused. */
export const NPM_WRITABLE_KEYS = [
  "domain_names",
  "forward_scheme",
  "forward_host",
  "forward_port",
  "certificate_id",
  "ssl_forced",
  "hsts_enabled",
  "hsts_subdomains",
  "trust_forwarded_proto",
  "http2_support",
  "block_exploits",
  "caching_enabled",
  "allow_websocket_upgrade",
  "access_list_id",
  "advanced_config",
  "enabled",
  "meta",
  "locations",
] as const;

/** A fetched object made fit to send back: read-only fields (id, created_on, owner …) dropped. */
export function writableFields(row: Record<string, unknown>): Record<string, unknown> {
  const keep = new Set<string>(NPM_WRITABLE_KEYS);
  return Object.fromEntries(Object.entries(row).filter(([k]) => keep.has(k)));
}

/** The fields tinyforge owns on a host: where it forwards, and the TLS options the config sets. */
export function managedFields(route: Route, o: NpmOptions): Record<string, unknown> {
  return {
    forward_scheme: o.forwardScheme ?? "http",
    forward_host: route.upstream.host,
    forward_port: route.upstream.port,
    ...(o.certificateId !== undefined ? { certificate_id: o.certificateId } : {}),
    ...(o.sslForced !== undefined ? { ssl_forced: o.sslForced } : {}),
    ...(o.http2Support !== undefined ? { http2_support: o.http2Support } : {}),
    ...(o.blockExploits !== undefined ? { block_exploits: o.blockExploits } : {}),
    ...(o.allowWebsocketUpgrade !== undefined ? { allow_websocket_upgrade: o.allowWebsocketUpgrade } : {}),
  };
}

/** The host's names: the route's main name first, then its aliases. */
function domainNames(route: Route): string[] {
  return [route.hostname, ...(route.aliases ?? [])];
}

export function createBody(route: Route, o: NpmOptions): Record<string, unknown> {
  return {
    domain_names: domainNames(route),
    ...managedFields(route, { ...o, allowWebsocketUpgrade: o.allowWebsocketUpgrade ?? true }),
  };
}

/** The PUT body that brings `row` to the route: only managed fields that differ (may be empty). */
export function updateBody(row: NpmProxyHost, route: Route, o: NpmOptions): Record<string, unknown> {
  const want = managedFields(route, o);
  const changed = Object.fromEntries(Object.entries(want).filter(([k, v]) => row[k] !== v));
  // The names are ours too (workloads.X.domains): a changed list is rewritten, compared as a set.
  const names = domainNames(route);
  const have = Array.isArray(row.domain_names) ? row.domain_names.map((d) => d.toLowerCase()) : [];
  const same = have.length === names.length && names.every((n) => have.includes(n));
  return same ? changed : { domain_names: names, ...changed };
}

/** The PUT body that undoes `body` on `row`: the same keys, with the values the host had. */
export function revertBody(row: NpmProxyHost, body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(body).map((k) => [k, row[k]]));
}

/**
 * NPM's ?query= is a LIKE '%x%' match on the JSON text of domain_names: `a.example.com` also finds
 * `data.example.com`. Only a host that lists the hostname itself is ours.
 */
export function exactMatches(rows: NpmProxyHost[], hostname: string): NpmProxyHost[] {
  const want = hostname.toLowerCase();
  return rows.filter(
    (r) => Array.isArray(r.domain_names) && r.domain_names.some((d) => d.toLowerCase() === want),
  );
}
