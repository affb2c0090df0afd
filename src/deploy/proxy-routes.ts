// Which proxy carries an instance's route, kept in its state, so that changing `proxy:` (Caddy →
// nginx, another admin address) or the hostname does not leave the old route answering 502:
// once the route is on the configured proxy, the recorded ones elsewhere are removed, or, when
// their proxy cannot be reached, kept on record and named so the next deploy or reconcile retries.
import type { Config } from "../config/schema.js";
import { errorMessage } from "../errors.js";
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

const same = (a: RouteRecord, b: RouteRecord) =>
  a.hostname === b.hostname && proxyLabel(a.proxy) === proxyLabel(b.proxy);

/** The record of a route just written to the configured proxy (none for driver none). */
export function currentRoute(config: Config, hostname: string): RouteRecord | undefined {
  if (config.proxy.driver === "none") return undefined;
  return { hostname, proxy: JSON.parse(JSON.stringify(config.proxy)) };
}

/** `routes` with `current` in it, once. */
export function withRoute(
  routes: RouteRecord[] | undefined,
  current: RouteRecord | undefined,
): RouteRecord[] {
  const rest = (routes ?? []).filter((r) => !current || !same(r, current));
  return current ? [current, ...rest] : rest;
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
