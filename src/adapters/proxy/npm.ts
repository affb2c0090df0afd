// proxy: npm (Nginx Proxy Manager). A route is a proxy host found by its exact domain name. An
// upsert PUTs the forward target of the host that exists (NPM rewrites and reloads nginx once) and
// POSTs only when there is none; it never deletes a host to update it — delete + create is two
// reloads with the route missing between them. NPM answers a write even when nginx rejected the
// new config (it then drops the host's config), so every write is followed by a look at
// meta.nginx_online.
import { TinyforgeError } from "../../errors.js";
import type { Host } from "../../ports/host.js";
import type { Proxy, Route } from "../../ports/proxy.js";
import { AdminApi, adminEndpoint, clip, type JsonResponse } from "./admin-api.js";
import { checkHostname, checkRoute } from "./check.js";
import { type NpmCredentials, NpmClient, npmMessage } from "./npm-client.js";
import {
  createBody,
  exactMatches,
  type NpmOptions,
  type NpmProxyHost,
  revertBody,
  updateBody,
} from "./npm-payload.js";

export const NPM_DEFAULT_ADMIN = "http://127.0.0.1:81";

const HOSTS = "/nginx/proxy-hosts";

export class NpmProxy implements Proxy {
  readonly driver = "npm";
  private readonly client: NpmClient;
  private readonly options: NpmOptions;
  private readonly tls: boolean;

  constructor(
    host: Host,
    opts: { admin?: string; tls: boolean; options: NpmOptions },
    creds: NpmCredentials,
  ) {
    const admin = opts.admin ?? NPM_DEFAULT_ADMIN;
    this.options = opts.options;
    this.tls = opts.tls;
    this.client = new NpmClient(
      new AdminApi(
        host,
        adminEndpoint(admin),
        "the Nginx Proxy Manager API",
        `check that Nginx Proxy Manager runs on ${host.name} with its admin port at ${admin} (proxy.admin)`,
      ),
      creds,
    );
  }

  async upsert(route: Route): Promise<void> {
    checkRoute(route);
    let row = await this.find(route.hostname);
    if (!row) {
      const r = await this.client.request("POST", HOSTS, createBody(route, this.options));
      if (r.status === 201) {
        await this.checkOnline((r.json as NpmProxyHost).id, route.hostname);
        return;
      }
      // Someone made it between our look and our POST: update theirs. Otherwise another kind of
      // host (redirection, 404) holds the name, and that is for a person to sort out.
      if (!(r.status === 400 && /already in use/i.test(npmMessage(r) ?? "")))
        throw this.refused("POST", HOSTS, r);
      row = await this.find(route.hostname);
      if (!row) {
        throw new TinyforgeError(
          "deploy_failed",
          `Nginx Proxy Manager: ${route.hostname} is already in use`,
          {
            hint: "a redirection host or 404 host in NPM has this domain name: remove it there, or change the route's hostname",
          },
        );
      }
    }
    const body = updateBody(row, route, this.options);
    const enabled = row.enabled === true || row.enabled === 1;
    const online = row.meta?.nginx_online === true;
    if (Object.keys(body).length === 0 && enabled && online) return; // already so: no reload
    if (Object.keys(body).length > 0 || (enabled && !online)) {
      // A PUT of a host whose config nginx dropped writes it again, even with nothing changed.
      const put = Object.keys(body).length > 0 ? body : { forward_host: route.upstream.host };
      await this.put(row.id, put);
    }
    if (!enabled) {
      // A disabled host has no nginx config at all: the route would not serve.
      const r = await this.client.request("POST", `${HOSTS}/${row.id}/enable`);
      if (r.status !== 200) throw this.refused("POST", `${HOSTS}/${row.id}/enable`, r);
    }
    try {
      await this.checkOnline(row.id, route.hostname);
    } catch (e) {
      // NPM dropped the host's config with the rejected one: the route to blue is gone too. Put
      // the previous target back so a failed route step leaves blue serving, as it promises.
      if (online && Object.keys(body).length > 0) {
        await this.put(row.id, revertBody(row, body)).catch(() => undefined);
      }
      throw e;
    }
  }

  private async put(id: number, body: Record<string, unknown>): Promise<void> {
    const r = await this.client.request("PUT", `${HOSTS}/${id}`, body);
    if (r.status !== 200) throw this.refused("PUT", `${HOSTS}/${id}`, r);
  }

  async remove(hostname: string): Promise<void> {
    checkHostname(hostname);
    const row = await this.find(hostname);
    if (!row) return;
    const r = await this.client.request("DELETE", `${HOSTS}/${row.id}`);
    if (r.status !== 200 && r.status !== 404) throw this.refused("DELETE", `${HOSTS}/${row.id}`, r);
  }

  async get(hostname: string): Promise<Route | undefined> {
    checkHostname(hostname);
    const row = await this.find(hostname);
    if (!row) return undefined;
    return { hostname, upstream: { host: row.forward_host, port: row.forward_port }, tls: this.tls };
  }

  url(route: Route): string {
    return `${route.tls ? "https" : "http"}://${route.hostname}`;
  }

  private async find(hostname: string): Promise<NpmProxyHost | undefined> {
    const path = `${HOSTS}?query=${encodeURIComponent(hostname)}`;
    const r = await this.client.request("GET", path);
    if (r.status !== 200 || !Array.isArray(r.json)) throw this.refused("GET", path, r);
    const rows = exactMatches(r.json as NpmProxyHost[], hostname);
    if (rows.length > 1) {
      throw new TinyforgeError(
        "deploy_failed",
        `Nginx Proxy Manager has ${rows.length} proxy hosts for ${hostname} (ids ${rows.map((h) => h.id).join(", ")})`,
        { hint: "keep one of them in NPM" },
      );
    }
    return rows[0];
  }

  private async checkOnline(id: number, hostname: string): Promise<void> {
    const r = await this.client.request("GET", `${HOSTS}/${id}`);
    if (r.status !== 200) throw this.refused("GET", `${HOSTS}/${id}`, r);
    const meta = (r.json as NpmProxyHost).meta;
    if (meta?.nginx_online !== true) {
      throw new TinyforgeError(
        "deploy_failed",
        `Nginx Proxy Manager saved ${hostname} but nginx rejected its config${meta?.nginx_err ? `: ${clip(meta.nginx_err)}` : ""}`,
        {
          hint: "see the proxy host in NPM's UI (it is marked offline); its advanced config or certificate is the usual cause",
        },
      );
    }
  }

  private refused(method: string, path: string, r: JsonResponse): TinyforgeError {
    const m = npmMessage(r);
    return new TinyforgeError(
      "deploy_failed",
      `Nginx Proxy Manager refused ${method} /api${path}: HTTP ${r.status}${m ? ` ${clip(m)}` : ""}`,
    );
  }
}
