// proxy: caddy. Routes live in Caddy's running config, each an object with an "@id", in the
// server's routes list. An upsert never deletes: with no route of ours, POST it into the list;
// with one, PATCH /id/X with the whole object, "@id" included. Caddy applies each change as one
// graceful config reload, so the route moves from blue to green with no moment where it is missing.
//
// The traps (TESTBED.md): PUT on an existing id and a second POST both duplicate the route; PATCH
// without "@id" drops the id; a path that matches nothing answers 200 with an empty body (`null`).
// And one found under load: Caddy 2.6 resolves /id/X to an array index under a read lock and
// releases it before the change runs, so a concurrent DELETE by another client shifts the list
// under us and /id/X reaches a neighbour. So the driver reads the whole routes list (one atomic
// read, with its ETag) and makes every write conditional on it (If-Match, checked under Caddy's
// write lock); a 412 means someone changed the list first: read again and redo.
import { TinyforgeError } from "../../errors.js";
import type { Host } from "../../ports/host.js";
import type { Proxy, Route } from "../../ports/proxy.js";
import { AdminApi, adminEndpoint, clip, type JsonResponse } from "./admin-api.js";
import { caddyRoute, caddyRouteId, routeFromCaddy, sameJson } from "./caddy-route.js";
import { CADDYFILE_DEFAULT, caddyRoutesVolatile } from "./caddy-durability.js";
import { caddyReloadsReset } from "./caddy-reloads.js";
import { checkHostname, checkRoute } from "./check.js";

export const CADDY_DEFAULT_ADMIN = "http://127.0.0.1:2019";
export const CADDY_DEFAULT_SERVER = "srv0";

/** Writes retried after a 412 (another client changed the routes between our read and write). */
const ATTEMPTS = 20;

/** Random, growing pause before a retry, so clients racing each other stop colliding in step. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.min(500, attempt * (10 + Math.random() * 40));
  return new Promise((r) => setTimeout(r, ms));
}

export interface CaddyOptions {
  admin?: string;
  server?: string;
  caddyfile?: string;
  tls: boolean;
}

interface Routes {
  list: Array<Record<string, unknown>>;
  /** The list's ETag, sent back as If-Match; absent on a Caddy too old to send one. */
  etag?: string;
}

export class CaddyProxy implements Proxy {
  readonly driver = "caddy";
  private readonly api: AdminApi;
  private readonly server: string;
  private readonly tls: boolean;
  private readonly caddyfile: string;

  constructor(
    private readonly host: Host,
    opts: CaddyOptions,
  ) {
    const admin = opts.admin ?? CADDY_DEFAULT_ADMIN;
    this.server = opts.server ?? CADDY_DEFAULT_SERVER;
    this.tls = opts.tls;
    this.caddyfile = opts.caddyfile ?? CADDYFILE_DEFAULT;
    this.api = new AdminApi(
      host,
      adminEndpoint(admin),
      "the caddy admin API",
      `check that caddy runs on ${host.name} with its admin endpoint at ${admin} (proxy.admin)`,
      30_000,
      // Every write is conditional (If-Match): one that did land before a reset gets a 412 when
      // repeated, and the next read finds the route as wanted.
      3,
    );
  }

  private get routesPath(): string {
    return `/config/apps/http/servers/${this.server}/routes`;
  }

  async upsert(route: Route): Promise<void> {
    checkRoute(route);
    const want = caddyRoute(route);
    const id = want["@id"];
    for (let attempt = 1; ; attempt++) {
      const routes = await this.readRoutes();
      const current = this.ours(routes, id);
      let r: JsonResponse;
      if (current === undefined) {
        // ".../routes/..." appends the array's elements: it works whether or not the server has a
        // routes list yet (a plain POST of one object would become the list itself).
        r = await this.api.call("POST", `${this.routesPath}/...`, [want], ifMatch(routes));
      } else if (!sameJson(current, want)) {
        // In place, same index: the route is never absent, never twice.
        r = await this.api.call("PATCH", `/id/${id}`, want, ifMatch(routes));
      } else {
        return; // already so: no config reload, no reset keep-alive connections
      }
      if (r.status === 412 && attempt < ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
      if (r.status !== 200) throw this.refused(current === undefined ? "POST" : "PATCH", route.hostname, r);
      break;
    }
    const after = this.ours(await this.readRoutes(), id);
    if (after === undefined || !sameJson(after, want)) {
      throw new TinyforgeError(
        "deploy_failed",
        `caddy accepted the route for ${route.hostname} but holds ${after === undefined ? "none" : "another one"} right after`,
        {
          hint: "another client is rewriting caddy's config at the same time (a caddy reload, a Caddyfile, another tool)",
        },
      );
    }
  }

  async remove(hostname: string): Promise<void> {
    checkHostname(hostname);
    const id = caddyRouteId(hostname);
    // Until the list has no route with our id: a duplicate some other client made goes as well.
    for (let attempt = 1; attempt <= ATTEMPTS * 2; attempt++) {
      const routes = await this.readRoutes();
      const index = routes.list.findIndex((r) => r["@id"] === id);
      if (index < 0) return;
      const r = await this.api.call("DELETE", `${this.routesPath}/${index}`, undefined, ifMatch(routes));
      if (r.status === 412) await backoff(attempt);
      else if (r.status !== 200) throw this.refused("DELETE", hostname, r);
    }
    throw new TinyforgeError("deploy_failed", `caddy: could not remove the route for ${hostname}`, {
      hint: "another client keeps changing caddy's routes; try again",
    });
  }

  async get(hostname: string): Promise<Route | undefined> {
    checkHostname(hostname);
    const json = this.ours(await this.readRoutes(), caddyRouteId(hostname));
    return json === undefined ? undefined : routeFromCaddy(hostname, this.tls, json);
  }

  volatile(): Promise<string | undefined> {
    return caddyRoutesVolatile(this.api, this.host.files, this.caddyfile);
  }

  async reloadsReset(): Promise<string | undefined> {
    const resets = await caddyReloadsReset(this.host.files);
    return resets && `${resets.reason}; under load each swap loses a few requests: ${resets.fix}`;
  }

  url(route: Route): string {
    return `${route.tls ? "https" : "http"}://${route.hostname}`;
  }

  /** The server's routes in one read, with the ETag that conditions the next write on them. */
  private async readRoutes(): Promise<Routes> {
    const r = await this.api.call("GET", this.routesPath);
    if (r.status !== 200) throw this.refused("GET", undefined, r);
    // A server with no routes list answers 200 with `null` (or nothing): that is none, not an error.
    const list = Array.isArray(r.json) ? (r.json as Array<Record<string, unknown>>) : [];
    return { list, ...(r.headers.etag ? { etag: r.headers.etag } : {}) };
  }

  /** Our route; more than one is refused rather than guessed at. */
  private ours(routes: Routes, id: string): Record<string, unknown> | undefined {
    const mine = routes.list.filter((r) => r["@id"] === id);
    if (mine.length > 1) {
      throw new TinyforgeError(
        "deploy_failed",
        `caddy's server ${this.server} has ${mine.length} routes with @id ${id}`,
        {
          hint: "another client duplicated it (PUT /id/X or a second POST insert a copy): remove the copies, or run tinyforge teardown and deploy again",
        },
      );
    }
    return mine[0];
  }

  private refused(method: string, hostname: string | undefined, r: JsonResponse): TinyforgeError {
    const message = (r.json as { error?: unknown } | undefined)?.error;
    return new TinyforgeError(
      "deploy_failed",
      `caddy refused ${method} ${this.routesPath}${hostname ? ` for ${hostname}` : ""}: HTTP ${r.status}${typeof message === "string" ? ` ${clip(message)}` : ""}`,
      {
        hint: `check that caddy's config has apps.http.servers.${this.server} (proxy.server; GET /config/apps/http/servers on the admin API)`,
      },
    );
  }
}

function ifMatch(routes: Routes): Record<string, string> {
  return routes.etag ? { "if-match": routes.etag } : {};
}
