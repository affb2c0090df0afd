// The instance's routes on record (`routes` in its state): each hostname and the proxy that carries
// it (driver and address). Two things read it. A change of `proxy:` (Caddy → nginx, another admin
// address) or of the hostname must not leave the old route answering 502: once the route is on
// the configured proxy, the recorded ones elsewhere are removed, or, when their proxy cannot be
// reached, kept on record and named so the next deploy or reconcile retries. And a proxy that lost
// its routes (restarted, reloaded from its Caddyfile) gets the serving one back from here, with
// its upstream as written (`reconcile --routes`, and each deploy).
import type { Config } from "../config/schema.js";
import { errorMessage } from "../errors.js";
import type { Route } from "../ports/proxy.js";
import type { InstanceState, RouteRecord } from "../state/model.js";
import type { EngineContext } from "./types.js";

const NGINX_DEFAULT_DIR = "/etc/nginx/conf.d/tinyforge";

/** Driver and address: what tells two proxies apart. */
export function proxyLabel(p: RouteRecord["proxy"]): string {
  const address =
    p.driver === "nginx"
      ? String(p.config_dir ?? NGINX_DEFAULT_DIR)
      : p.driver === "caddy"
        ? `${p.admin ?? "http://127.0.0.1:2019"} server ${p.server ?? "srv0"}`
        : p.driver === "npm"
          ? String(p.admin ?? "http://127.0.0.1:81")
          : "";
  return address ? `${p.driver} at ${address}` : p.driver;
}

/** Whether two `proxy:` sections name the same proxy (secrets and TLS aside). */
export function sameProxy(a: RouteRecord["proxy"], b: RouteRecord["proxy"]): boolean {
  return proxyLabel(a) === proxyLabel(b);
}

const same = (a: RouteRecord, b: RouteRecord) => a.hostname === b.hostname && sameProxy(a.proxy, b.proxy);

/** The record of `route`, just written to the configured proxy (none for driver none). */
export function currentRoute(config: Config, route: Route | undefined): RouteRecord | undefined {
  if (!route || config.proxy.driver === "none") return undefined;
  const { hostname, upstream, tls } = route;
  return { hostname, proxy: JSON.parse(JSON.stringify(config.proxy)), upstream: { ...upstream }, tls };
}

/** `routes` with `current` first and serving; the others only say where a route was left. */
export function withRoute(
  routes: RouteRecord[] | undefined,
  current: RouteRecord | undefined,
): RouteRecord[] {
  const rest = (routes ?? [])
    .filter((r) => !current || !same(r, current))
    .map(({ hostname, proxy }) => ({ hostname, proxy }));
  return current ? [current, ...rest] : rest;
}

/** The route the active release is served by, and the proxy it was written to, as recorded. */
export function servingRoute(
  state: InstanceState,
): { route: Route; proxy: RouteRecord["proxy"] } | undefined {
  const r = state.active ? state.routes?.find((x) => x.upstream) : undefined;
  if (!r?.upstream) return undefined;
  return { route: { hostname: r.hostname, upstream: r.upstream, tls: r.tls ?? false }, proxy: r.proxy };
}

/**
 * Removes the instance's routes recorded anywhere but `current` (the route on the configured
 * proxy, already in place). Returns the routes still on record and one line per action.
 */
export async function dropStaleRoutes(
  ctx: EngineContext,
  state: InstanceState,
  current: RouteRecord | undefined,
): Promise<{ routes: RouteRecord[]; lines: string[] }> {
  const routes = withRoute(state.routes, current);
  const kept: RouteRecord[] = [];
  const lines: string[] = [];
  for (const r of routes) {
    if (current && same(r, current)) {
      kept.push(r);
      continue;
    }
    const where = proxyLabel(r.proxy);
    try {
      if (!ctx.proxyFor) throw new Error("no way to reach it from here");
      const old = ctx.proxyFor(r.proxy as Config["proxy"]);
      // The configured proxy may be the same one under another hostname: only ours goes.
      if (await old.get(r.hostname)) await old.remove(r.hostname);
      lines.push(`${state.key}: removed route ${r.hostname} from ${where} (no longer configured)`);
    } catch (e) {
      kept.push(r);
      lines.push(
        `${state.key}: route ${r.hostname} is left on ${where} (${errorMessage(e)}); remove it there, or run reconcile when it is reachable`,
      );
    }
  }
  return { routes: kept, lines };
}
