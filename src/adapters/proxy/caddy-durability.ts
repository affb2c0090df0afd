// Would tinyforge's routes survive a caddy reload or restart? Routes added through the admin API
// live only in caddy's running config. `caddy reload` (systemctl reload caddy) and a start with
// --config load the Caddyfile again, which does not name them: they are gone until the next deploy.
// When the running config, without our routes, is exactly what the host's Caddyfile adapts to,
// caddy is driven by that file and the routes are volatile. Otherwise the operator manages caddy's
// config some other way (the admin API with --resume, a JSON file that tinyforge cannot judge):
// nothing is said.
import type { HostFiles } from "../../ports/host.js";
import type { AdminApi } from "./admin-api.js";
import { sameJson } from "./caddy-route.js";

export const CADDYFILE_DEFAULT = "/etc/caddy/Caddyfile";

/** Why the routes would not survive a reload, or undefined when nothing says so. */
export async function caddyRoutesVolatile(
  api: AdminApi,
  files: HostFiles,
  caddyfile: string,
): Promise<string | undefined> {
  const text = await files.read(caddyfile).catch(() => undefined);
  if (text === undefined) return undefined;
  const adapted = await api.call("POST", "/adapt", text, { "content-type": "text/caddyfile" }, true);
  const running = await api.call("GET", "/config/");
  const result = (adapted.json as { result?: unknown } | undefined)?.result;
  if (adapted.status !== 200 || running.status !== 200 || result === undefined) return undefined;
  if (!sameJson(withoutOurRoutes(running.json), withoutOurRoutes(result))) return undefined;
  return `caddy runs the config of ${caddyfile}, which does not hold tinyforge's routes: a reload (systemctl reload caddy) or restart drops them until the next deploy`;
}

/** The config with every tinyforge route, and every routes list left empty, taken out. */
export function withoutOurRoutes(config: unknown): unknown {
  const copy = structuredClone(config) as {
    apps?: { http?: { servers?: Record<string, { routes?: Array<Record<string, unknown>> }> } };
  };
  for (const server of Object.values(copy?.apps?.http?.servers ?? {})) {
    const routes = (server.routes ?? []).filter(
      (r) => !(typeof r["@id"] === "string" && r["@id"].startsWith("tinyforge-")),
    );
    if (routes.length > 0) server.routes = routes;
    else delete server.routes;
  }
  return copy;
}
