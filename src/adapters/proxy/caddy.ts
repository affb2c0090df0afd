// proxy: caddy. Routes live in Caddy's running config, addressed by "@id" through the admin API.
// An upsert never deletes: GET /id/X → 404: POST the route into the server's routes; 200: PATCH
// /id/X with the whole object, "@id" included. Caddy applies each change as one graceful config
// reload, so the route moves from blue to green with no moment where it is missing. The traps
// (TESTBED.md): PUT on an existing id and a second POST both duplicate the route; PATCH without
// "@id" drops the id; a path that matches nothing answers 200 with an empty body.
import { TinyforgeError } from "../../errors.js";
import type { Host } from "../../ports/host.js";
import type { Proxy, Route } from "../../ports/proxy.js";
import { AdminApi, adminEndpoint, clip, type JsonResponse } from "./admin-api.js";
import { caddyRoute, caddyRouteId, routeFromCaddy, sameJson } from "./caddy-route.js";
import { checkHostname, checkRoute } from "./check.js";

export const CADDY_DEFAULT_ADMIN = "http://127.0.0.1:2019";
export const CADDY_DEFAULT_SERVER = "srv0";

export interface CaddyOptions {
  admin?: string;
  server?: string;
  tls: boolean;
}

export class CaddyProxy implements Proxy {
  readonly driver = "caddy";
  private readonly api: AdminApi;
  private readonly server: string;
  private readonly tls: boolean;

  constructor(host: Host, opts: CaddyOptions) {
    const admin = opts.admin ?? CADDY_DEFAULT_ADMIN;
    this.server = opts.server ?? CADDY_DEFAULT_SERVER;
    this.tls = opts.tls;
    this.api = new AdminApi(
      host,
      adminEndpoint(admin),
      "the caddy admin API",
      `check that caddy runs on ${host.name} with its admin endpoint at ${admin} (proxy.admin)`,
    );
  }

  async upsert(route: Route): Promise<void> {
    checkRoute(route);
    const want = caddyRoute(route);
    const id = want["@id"];
    const current = await this.read(id);
    if (current === undefined) {
      // ".../routes/..." appends the array's elements: it works whether or not the server has a
      // routes list yet (a plain POST of one object would become the list itself).
      await this.write("POST", `/config/apps/http/servers/${this.server}/routes/...`, [want]);
    } else if (!sameJson(current, want)) {
      // In place, same index: the route is never absent, never twice.
      await this.write("PATCH", `/id/${id}`, want);
    } else {
      return; // already so: no config reload, no reset keep-alive connections
    }
    const after = await this.read(id);
    if (after === undefined || !sameJson(after, want)) {
      throw new TinyforgeError(
        "deploy_failed",
        `caddy accepted the route for ${route.hostname} but does not hold it afterwards`,
        {
          hint: "another client may be rewriting caddy's config at the same time (a caddy reload, a Caddyfile)",
        },
      );
    }
  }

  async remove(hostname: string): Promise<void> {
    checkHostname(hostname);
    const id = caddyRouteId(hostname);
    // Until Caddy no longer knows the id: a duplicate some other client made goes as well.
    for (let i = 0; i < 10; i++) {
      const r = await this.api.call("DELETE", `/id/${id}`);
      if (r.status === 404) return;
      if (r.status !== 200) throw this.refused("DELETE", `/id/${id}`, r);
    }
  }

  async get(hostname: string): Promise<Route | undefined> {
    checkHostname(hostname);
    const json = await this.read(caddyRouteId(hostname));
    return json === undefined ? undefined : routeFromCaddy(hostname, this.tls, json);
  }

  url(route: Route): string {
    return `${route.tls ? "https" : "http"}://${route.hostname}`;
  }

  /** The object at /id/X, or undefined when Caddy has none. */
  private async read(id: string): Promise<unknown> {
    const r = await this.api.call("GET", `/id/${id}`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw this.refused("GET", `/id/${id}`, r);
    // 200 with an empty body (or null) is Caddy's answer for "nothing there", not a route.
    return r.json ?? undefined;
  }

  private async write(method: string, path: string, body: unknown): Promise<void> {
    const r = await this.api.call(method, path, body);
    if (r.status !== 200) throw this.refused(method, path, r);
  }

  private refused(method: string, path: string, r: JsonResponse): TinyforgeError {
    const message = (r.json as { error?: unknown } | undefined)?.error;
    return new TinyforgeError(
      "deploy_failed",
      `caddy refused ${method} ${path}: HTTP ${r.status}${typeof message === "string" ? ` ${clip(message)}` : ""}`,
      {
        hint: `check that caddy's config has apps.http.servers.${this.server} (proxy.server; GET /config/apps/http/servers on the admin API)`,
      },
    );
  }
}
