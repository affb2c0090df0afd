// The caddy driver's calls, against an in-memory admin API with Caddy 2.6's behaviour and traps
// (TESTBED.md and its source): PUT on an id inserts a duplicate; a list that does not exist answers
// 200 `null`; GET answers an ETag, and a write with If-Match is refused with 412 when the config
// at that path changed; /id/X is resolved to an index BEFORE the change is applied, so another
// client's change in between makes it reach a neighbour.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { CaddyProxy } from "../../../../src/adapters/proxy/caddy.js";
import { caddyRoute } from "../../../../src/adapters/proxy/caddy-route.js";
import type { HttpRequest, HttpResponse } from "../../../../src/ports/host.js";
import { FakeHost } from "../../../fakes/host.js";

const HOSTNAME = "stage-production-shop.example.com";
const ID = `tinyforge-${HOSTNAME}`;
const ROUTES = "/config/apps/http/servers/srv0/routes";
const route = (port: number) => ({ hostname: HOSTNAME, upstream: { host: "127.0.0.1", port }, tls: false });
const other = (n: number) => ({
  "@id": `someone-${n}`,
  handle: [{ handler: "static_response", body: `${n}` }],
});

// Routes as Caddy stores them: any JSON objects.
type Json = object & { "@id"?: unknown };

class CaddyAdmin {
  servers: Record<string, { routes?: Json[] }> = { srv0: {} };
  writes = 0;
  /** Runs between resolving /id/X to an index and applying the change: another client's moment. */
  betweenResolveAndApply?: () => void;
  /** The next write is applied, then its connection is reset (the admin listener was replaced). */
  resetAfterNextWrite = false;

  etag(server: string): string {
    const body = `${JSON.stringify(this.servers[server]?.routes ?? null)}\n`;
    return `"/config/apps/http/servers/${server}/routes ${createHash("sha1").update(body).digest("hex").slice(0, 8)}"`;
  }

  private locate(id: string): { server: string; index: number } | undefined {
    for (const [server, s] of Object.entries(this.servers)) {
      const index = (s.routes ?? []).findIndex((r) => r["@id"] === id);
      if (index >= 0) return { server, index };
    }
    return undefined;
  }

  async handle(_port: number, req: HttpRequest): Promise<HttpResponse> {
    const answer = (status: number, body = "", headers: Record<string, string> = {}): HttpResponse => ({
      status,
      headers,
      body,
    });
    const error = (status: number, message: string) => answer(status, JSON.stringify({ error: message }));
    const body = req.body ? JSON.parse(req.body) : undefined;
    let path = req.path;
    const byId = /^\/id\/([^/]+)$/.exec(path);
    if (byId) {
      const at = this.locate(byId[1]!);
      if (!at) return error(404, `unknown object ID '${byId[1]}'`);
      path = `/config/apps/http/servers/${at.server}/routes/${at.index}`;
      this.betweenResolveAndApply?.();
    }
    const m = /^\/config\/apps\/http\/servers\/([^/]+)\/routes(?:\/(\d+|\.\.\.))?$/.exec(path);
    if (!m) return error(404, "not found");
    const [, name, tail] = m;
    const server = this.servers[name!];
    if (!server) return error(400, `invalid traversal path at: config/apps/http/servers/${name}/routes`);
    if (req.method === "GET" && !tail) {
      return answer(200, `${JSON.stringify(server.routes ?? null)}\n`, { etag: this.etag(name!) });
    }
    const ifMatch = req.headers?.["if-match"];
    if (ifMatch && ifMatch !== this.etag(name!))
      return error(412, "If-Match header did not match current config hash");
    const list = server.routes ?? [];
    const i = Number(tail);
    if (req.method === "POST" && tail === "...") server.routes = [...list, ...body];
    else if (req.method === "PATCH" && list[i]) list[i] = body;
    else if (req.method === "PUT" && list[i]) list.splice(i, 0, body);
    else if (req.method === "DELETE" && list[i]) list.splice(i, 1);
    else return error(400, `array index out of bounds: ${tail}`);
    this.writes++;
    if (this.resetAfterNextWrite) {
      this.resetAfterNextWrite = false;
      throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    }
    return answer(200);
  }
}

let host: FakeHost;
let admin: CaddyAdmin;
function setup(opts: { server?: string } = {}) {
  host = new FakeHost();
  admin = new CaddyAdmin();
  host.onHttp = (port, req) => admin.handle(port, req);
  return new CaddyProxy(host, { tls: false, ...opts });
}
afterEach(() => host?.dispose());
const calls = () => host.requests.map((r) => `${r.method} ${r.path}`);

describe("caddy upsert", () => {
  it("a new route: read the routes, POST it into the list on their ETag, read back", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    expect(calls()).toEqual([`GET ${ROUTES}`, `POST ${ROUTES}/...`, `GET ${ROUTES}`]);
    const post = host.requests[1]!;
    expect(post.port).toBe(2019);
    expect(post.headers).toMatchObject({
      host: "127.0.0.1:2019",
      "content-type": "application/json",
      "if-match": `"${ROUTES} ${createHash("sha1").update("null\n").digest("hex").slice(0, 8)}"`,
    });
    expect(JSON.parse(post.body!)).toEqual([caddyRoute(route(40001))]);
    expect(admin.servers.srv0!.routes).toEqual([caddyRoute(route(40001))]);
  });

  it("an existing route: PATCH /id/X with the whole object, @id included; never PUT, never DELETE", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    host.requests.length = 0;
    await proxy.upsert(route(40002));
    expect(calls()).toEqual([`GET ${ROUTES}`, `PATCH /id/${ID}`, `GET ${ROUTES}`]);
    const patch = JSON.parse(host.requests[1]!.body!);
    expect(patch["@id"]).toBe(ID); // without it, Caddy drops the id and the next deploy would POST a second route
    expect(patch).toEqual(caddyRoute(route(40002)));
    expect(host.requests[1]!.headers?.["if-match"]).toMatch(
      /^"\/config\/apps\/http\/servers\/srv0\/routes \w+"$/,
    );
    expect(admin.servers.srv0!.routes).toEqual([caddyRoute(route(40002))]);
  });

  it("is idempotent: the same route twice is one route, and the second apply writes nothing", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    const state = structuredClone(admin.servers);
    const writes = admin.writes;
    host.requests.length = 0;
    await proxy.upsert(route(40001));
    expect(calls()).toEqual([`GET ${ROUTES}`]);
    expect(admin.writes).toBe(writes);
    expect(admin.servers).toEqual(state);
  });

  it("another client deleting a route between Caddy's /id lookup and the change: 412, read again, redo", async () => {
    const proxy = setup();
    admin.servers.srv0!.routes = [other(1), other(2)];
    await proxy.upsert(route(40001));
    // Another deploy's teardown removes someone-1 while our PATCH is in flight: without If-Match,
    // /id/X (resolved to index 2) would now reach past the end or overwrite a neighbour.
    admin.betweenResolveAndApply = () => {
      admin.betweenResolveAndApply = undefined;
      admin.servers.srv0!.routes!.splice(0, 1);
    };
    host.requests.length = 0;
    await proxy.upsert(route(40002));
    expect(calls()).toEqual([
      `GET ${ROUTES}`,
      `PATCH /id/${ID}`, // 412
      `GET ${ROUTES}`,
      `PATCH /id/${ID}`,
      `GET ${ROUTES}`,
    ]);
    expect(admin.servers.srv0!.routes).toEqual([other(2), caddyRoute(route(40002))]);
  });

  it("a write that landed but lost its answer to a reset is repeated safely: 412, read, already so", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    admin.resetAfterNextWrite = true;
    host.requests.length = 0;
    await proxy.upsert(route(40002));
    expect(calls()).toEqual([
      `GET ${ROUTES}`,
      `PATCH /id/${ID}`, // applied, answer lost
      `PATCH /id/${ID}`, // 412: the list is no longer what we read
      `GET ${ROUTES}`, // already as wanted: done
    ]);
    expect(admin.servers.srv0!.routes).toEqual([caddyRoute(route(40002))]);
  });

  it("a POST that landed before a reset is not repeated into a duplicate", async () => {
    const proxy = setup();
    admin.resetAfterNextWrite = true;
    await proxy.upsert(route(40001));
    expect(admin.servers.srv0!.routes).toEqual([caddyRoute(route(40001))]);
  });

  it("a routes list that is not there (200 null) is none: the route is created", async () => {
    const proxy = setup();
    expect(admin.servers.srv0!.routes).toBeUndefined();
    await proxy.upsert(route(40001));
    expect(admin.servers.srv0!.routes).toHaveLength(1);
  });

  it("appends after the other routes of the configured server", async () => {
    const proxy = setup({ server: "web" });
    admin.servers.web = { routes: [other(1)] };
    await proxy.upsert(route(40001));
    expect(admin.servers.web.routes!.map((r) => r["@id"])).toEqual(["someone-1", ID]);
  });

  it("two routes with our id (someone PUT a copy) are refused, not guessed at: nothing is written", async () => {
    const proxy = setup();
    admin.servers.srv0!.routes = [caddyRoute(route(1)), caddyRoute(route(2))];
    await expect(proxy.upsert(route(40001))).rejects.toMatchObject({
      message: `caddy's server srv0 has 2 routes with @id ${ID}`,
    });
    expect(admin.writes).toBe(0);
  });

  it("a refused write names the call and Caddy's error, and says which server to check", async () => {
    const proxy = setup({ server: "nope" });
    await expect(proxy.upsert(route(40001))).rejects.toMatchObject({
      code: "deploy_failed",
      message:
        "caddy refused GET /config/apps/http/servers/nope/routes: HTTP 400 invalid traversal path at: config/apps/http/servers/nope/routes",
      hint: expect.stringContaining("apps.http.servers.nope"),
    });
  });

  it("an admin API that does not answer is a coded error naming the address", async () => {
    host = new FakeHost();
    const proxy = new CaddyProxy(host, { tls: false });
    await expect(proxy.upsert(route(40001))).rejects.toMatchObject({
      code: "deploy_failed",
      message: expect.stringContaining("cannot reach the caddy admin API at 127.0.0.1:2019 on fake"),
    });
  });

  it("refuses a hostname that is not a DNS name before any request", async () => {
    const proxy = setup();
    await expect(proxy.upsert({ ...route(1), hostname: "a/../../config" })).rejects.toMatchObject({
      code: "config_invalid",
    });
    expect(host.requests).toEqual([]);
  });
});

describe("caddy remove and get", () => {
  it("remove is explicit, by index on the list's ETag, and takes every copy of the id", async () => {
    const proxy = setup();
    admin.servers.srv0!.routes = [other(1), caddyRoute(route(1)), other(2), caddyRoute(route(2))];
    await proxy.remove(HOSTNAME);
    expect(admin.servers.srv0!.routes).toEqual([other(1), other(2)]);
    expect(calls().filter((c) => c.startsWith("DELETE"))).toEqual([
      `DELETE ${ROUTES}/1`,
      `DELETE ${ROUTES}/2`,
    ]);
    await proxy.remove(HOSTNAME); // already gone: fine
  });

  it("get reads the upstream back, undefined when there is no route", async () => {
    const proxy = setup();
    expect(await proxy.get(HOSTNAME)).toBeUndefined();
    await proxy.upsert(route(40001));
    expect(await proxy.get(HOSTNAME)).toEqual(route(40001));
    expect(proxy.url(route(1))).toBe(`http://${HOSTNAME}`);
  });
});
