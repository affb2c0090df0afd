// The caddy driver's calls, against an in-memory admin API that has Caddy's traps (TESTBED.md): PUT
// on an id inserts a duplicate, a GET that matches nothing may answer 200 with an empty body.
import { afterEach, describe, expect, it } from "vitest";
import { CaddyProxy } from "../../../../src/adapters/proxy/caddy.js";
import { caddyRoute } from "../../../../src/adapters/proxy/caddy-route.js";
import type { HttpRequest, HttpResponse } from "../../../../src/ports/host.js";
import { FakeHost } from "../../../fakes/host.js";

const HOSTNAME = "stage-production-shop.example.com";
const ID = `tinyforge-${HOSTNAME}`;
const route = (port: number) => ({ hostname: HOSTNAME, upstream: { host: "127.0.0.1", port }, tls: false });

class CaddyAdmin {
  servers: Record<string, { routes?: Array<Record<string, unknown>> }> = { srv0: {} };
  /** Answer GET /id/X with 200 and an empty body instead of 404 (a gap that looks like success). */
  emptyGet = false;
  writes = 0;

  private find(id: string): { list: Array<Record<string, unknown>>; i: number } | undefined {
    for (const s of Object.values(this.servers)) {
      const i = (s.routes ?? []).findIndex((r) => r["@id"] === id);
      if (i >= 0) return { list: s.routes!, i };
    }
    return undefined;
  }

  async handle(_port: number, req: HttpRequest): Promise<HttpResponse> {
    const ok = (body = ""): HttpResponse => ({ status: 200, headers: {}, body });
    const err = (status: number, error: string): HttpResponse => ({
      status,
      headers: {},
      body: JSON.stringify({ error }),
    });
    const body = req.body ? JSON.parse(req.body) : undefined;
    const byId = /^\/id\/([^/]+)$/.exec(req.path);
    const routes = /^\/config\/apps\/http\/servers\/([^/]+)\/routes\/\.\.\.$/.exec(req.path);
    if (byId) {
      const at = this.find(byId[1]!);
      if (!at)
        return this.emptyGet && req.method === "GET" ? ok() : err(404, `unknown object ID '${byId[1]}'`);
      this.writes += req.method === "GET" ? 0 : 1;
      if (req.method === "GET") return ok(`${JSON.stringify(at.list[at.i])}\n`);
      if (req.method === "PATCH") at.list[at.i] = body;
      if (req.method === "PUT") at.list.splice(at.i, 0, body);
      if (req.method === "DELETE") at.list.splice(at.i, 1);
      return ok();
    }
    if (routes && req.method === "POST") {
      const server = this.servers[routes[1]!];
      if (!server) return err(400, `invalid traversal path at: config/apps/http/servers/${routes[1]}/routes`);
      server.routes = [...(server.routes ?? []), ...body];
      this.writes++;
      return ok();
    }
    return err(404, "not found");
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
  it("a new route: GET /id/X → 404, POST into the server's routes, read back", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    expect(calls()).toEqual([
      `GET /id/${ID}`,
      "POST /config/apps/http/servers/srv0/routes/...",
      `GET /id/${ID}`,
    ]);
    const post = host.requests[1]!;
    expect(post.port).toBe(2019);
    expect(post.headers).toMatchObject({ host: "127.0.0.1:2019", "content-type": "application/json" });
    expect(JSON.parse(post.body!)).toEqual([caddyRoute(route(40001))]);
    expect(admin.servers.srv0!.routes).toEqual([caddyRoute(route(40001))]);
  });

  it("an existing route: PATCH /id/X with the whole object, @id included; never PUT, never DELETE", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    host.requests.length = 0;
    await proxy.upsert(route(40002));
    expect(calls()).toEqual([`GET /id/${ID}`, `PATCH /id/${ID}`, `GET /id/${ID}`]);
    const patch = JSON.parse(host.requests[1]!.body!);
    expect(patch["@id"]).toBe(ID); // without it, Caddy drops the id and the next deploy would POST a second route
    expect(patch).toEqual(caddyRoute(route(40002)));
    expect(admin.servers.srv0!.routes).toEqual([caddyRoute(route(40002))]);
  });

  it("is idempotent: the same route twice is one route, and the second apply writes nothing", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    const state = structuredClone(admin.servers);
    const writes = admin.writes;
    host.requests.length = 0;
    await proxy.upsert(route(40001));
    expect(calls()).toEqual([`GET /id/${ID}`]);
    expect(admin.writes).toBe(writes);
    expect(admin.servers).toEqual(state);
  });

  it("treats a 200 with an empty body as missing: it creates instead of believing the route is there", async () => {
    const proxy = setup();
    admin.emptyGet = true;
    await proxy.upsert(route(40001));
    expect(calls()[1]).toBe("POST /config/apps/http/servers/srv0/routes/...");
    expect(admin.servers.srv0!.routes).toHaveLength(1);
  });

  it("appends to a server that already has other routes, into the configured server", async () => {
    const proxy = setup({ server: "web" });
    admin.servers.web = { routes: [{ "@id": "someone-else", handle: [] }] };
    await proxy.upsert(route(40001));
    expect(admin.servers.web.routes!.map((r) => r["@id"])).toEqual(["someone-else", ID]);
  });

  it("a refused write names the call and Caddy's error, and says which server to check", async () => {
    const proxy = setup({ server: "nope" });
    await expect(proxy.upsert(route(40001))).rejects.toMatchObject({
      code: "deploy_failed",
      message:
        "caddy refused POST /config/apps/http/servers/nope/routes/...: HTTP 400 invalid traversal path at: config/apps/http/servers/nope/routes",
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
  it("remove is explicit and takes every copy of the id (a duplicate someone PUT)", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    await admin.handle(2019, {
      method: "PUT",
      path: `/id/${ID}`,
      body: JSON.stringify(caddyRoute(route(1))),
      timeoutMs: 1,
    });
    expect(admin.servers.srv0!.routes).toHaveLength(2);
    await proxy.remove(HOSTNAME);
    expect(admin.servers.srv0!.routes).toEqual([]);
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
