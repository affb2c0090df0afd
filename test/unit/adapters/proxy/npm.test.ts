// The npm driver against the NPM fake (test/fakes/npm-server.ts) over loopback HTTP: the exact
// calls it makes, and that it never deletes a host to update it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { httpRequest } from "../../../../src/adapters/http-get.js";
import { NpmProxy } from "../../../../src/adapters/proxy/npm.js";
import type { NpmOptions } from "../../../../src/adapters/proxy/npm-payload.js";
import { FakeHost } from "../../../fakes/host.js";
import { FakeNpm } from "../../../fakes/npm-server.js";

const HOSTNAME = "stage-production-shop.example.com";
const route = (port: number, host = "127.0.0.1") => ({
  hostname: HOSTNAME,
  upstream: { host, port },
  tls: false,
});
const CREDS = { user: "admin@example.com", password: "changeme" };

let npm: FakeNpm;
let host: FakeHost;
beforeAll(() => {
  host = new FakeHost();
  // The host's loopback is this machine's: requests go to the fake over real HTTP.
  host.onHttp = (port, req) => httpRequest(undefined, port, req);
});
afterAll(() => host.dispose());
beforeEach(async () => {
  await npm?.stop();
  npm = new FakeNpm();
  await npm.start();
  host.requests.length = 0;
});

function proxy(
  creds: { user?: string; password?: string; token?: string } = CREDS,
  options: NpmOptions = {},
) {
  return new NpmProxy(host, { admin: `http://127.0.0.1:${npm.port}`, tls: false, options }, creds);
}
const writes = () => npm.calls().filter((c) => !c.startsWith("GET"));

describe("npm upsert", () => {
  it("creates a host when none has the name: login, exact lookup, POST, then a look at nginx_online", async () => {
    await proxy().upsert(route(40001));
    expect(npm.calls()).toEqual([
      "POST /api/tokens",
      "GET /api/nginx/proxy-hosts",
      "POST /api/nginx/proxy-hosts",
      "GET /api/nginx/proxy-hosts/1",
    ]);
    expect(npm.requests[0]!.body).toEqual({ identity: "admin@example.com", secret: "changeme" });
    expect(npm.requests[1]!.query).toEqual({ query: HOSTNAME });
    expect(npm.requests[2]!.body).toEqual({
      domain_names: [HOSTNAME],
      forward_scheme: "http",
      forward_host: "127.0.0.1",
      forward_port: 40001,
      allow_websocket_upgrade: true,
    });
    expect(npm.requests[2]!.auth).toMatch(/^Bearer eyJ\./);
    expect(npm.served.get(HOSTNAME)).toBe("127.0.0.1:40001");
  });

  it("updates the host that exists with a partial PUT: never DELETE, never a second POST", async () => {
    const row = npm.seed({
      domain_names: [HOSTNAME],
      forward_host: "127.0.0.1",
      forward_port: 40001,
      access_list_id: 2,
    });
    const reloads = npm.reloads;
    await proxy().upsert(route(40002));
    expect(writes()).toEqual(["POST /api/tokens", `PUT /api/nginx/proxy-hosts/${row.id}`]);
    expect(npm.requests.find((r) => r.method === "PUT")!.body).toEqual({ forward_port: 40002 });
    expect(npm.reloads).toBe(reloads + 1); // one rewrite + reload, no gap
    expect(npm.served.get(HOSTNAME)).toBe("127.0.0.1:40002");
    expect(npm.rows[0]!.access_list_id).toBe(2); // what a person set stays
  });

  it("is idempotent: applied twice, the second apply only looks", async () => {
    const p = proxy();
    await p.upsert(route(40001));
    const state = structuredClone(npm.rows);
    const reloads = npm.reloads;
    npm.requests.length = 0;
    await p.upsert(route(40001));
    expect(npm.calls()).toEqual(["GET /api/nginx/proxy-hosts"]);
    expect(npm.rows).toEqual(state);
    expect(npm.reloads).toBe(reloads);
  });

  it("v1 → v2 → v1 moves one host back and forth; no request ever deletes", async () => {
    const p = proxy();
    for (const port of [40001, 40002, 40001, 40002]) await p.upsert(route(port));
    expect(npm.rows).toHaveLength(1);
    expect(npm.calls().filter((c) => c.startsWith("DELETE"))).toEqual([]);
    expect(npm.calls().filter((c) => c === "POST /api/nginx/proxy-hosts")).toHaveLength(1);
    expect(npm.served.get(HOSTNAME)).toBe("127.0.0.1:40002");
  });

  it("a LIKE neighbour (?query= is a substring match) is not taken for ours", async () => {
    npm.seed({ domain_names: [`x${HOSTNAME}`], forward_host: "10.0.0.9", forward_port: 80 });
    await proxy().upsert(route(40001));
    expect(npm.rows.map((r) => [r.domain_names[0], r.forward_port])).toEqual([
      [`x${HOSTNAME}`, 80],
      [HOSTNAME, 40001],
    ]);
  });

  it("forwards to the container by name on a shared network, with the scheme and TLS options configured", async () => {
    await proxy(CREDS, { forwardScheme: "https", certificateId: 3, sslForced: true }).upsert(
      route(8080, "shop-web-production-ab12cd34"),
    );
    expect(npm.requests[2]!.body).toEqual({
      domain_names: [HOSTNAME],
      forward_scheme: "https",
      forward_host: "shop-web-production-ab12cd34",
      forward_port: 8080,
      certificate_id: 3,
      ssl_forced: true,
      allow_websocket_upgrade: true,
    });
  });

  it("enables a disabled host after pointing it (a disabled host has no nginx config)", async () => {
    const row = npm.seed({
      domain_names: [HOSTNAME],
      forward_host: "127.0.0.1",
      forward_port: 40001,
      enabled: false,
    });
    await proxy().upsert(route(40002));
    expect(writes()).toEqual([
      "POST /api/tokens",
      `PUT /api/nginx/proxy-hosts/${row.id}`,
      `POST /api/nginx/proxy-hosts/${row.id}/enable`,
    ]);
    expect(npm.served.get(HOSTNAME)).toBe("127.0.0.1:40002");
  });

  it("rewrites a host whose config nginx had dropped (offline), even with the same target", async () => {
    const row = npm.seed({ domain_names: [HOSTNAME], forward_host: "127.0.0.1", forward_port: 40001 });
    row.meta = { nginx_online: false, nginx_err: "old failure" };
    npm.served.delete(HOSTNAME);
    await proxy().upsert(route(40001));
    expect(npm.requests.find((r) => r.method === "PUT")!.body).toEqual({ forward_host: "127.0.0.1" });
    expect(npm.served.get(HOSTNAME)).toBe("127.0.0.1:40001");
  });

  it("when nginx rejects the new target, puts the previous one back (NPM had dropped it) and fails", async () => {
    const row = npm.seed({ domain_names: [HOSTNAME], forward_host: "127.0.0.1", forward_port: 40001 });
    npm.rejectUpstreams.add("127.0.0.1:40002");
    await expect(proxy().upsert(route(40002))).rejects.toMatchObject({
      code: "deploy_failed",
      message: `Nginx Proxy Manager saved ${HOSTNAME} but nginx rejected its config: nginx: [emerg] host not found in upstream "127.0.0.1:40002"`,
    });
    const puts = npm.requests.filter((r) => r.method === "PUT").map((r) => r.body);
    expect(puts).toEqual([{ forward_port: 40002 }, { forward_port: 40001 }]);
    expect(npm.rows.find((r) => r.id === row.id)!.forward_port).toBe(40001);
    expect(npm.served.get(HOSTNAME)).toBe("127.0.0.1:40001");
  });

  it("a name another kind of NPM host holds (redirection, 404) is an error that says so", async () => {
    npm.otherDomains.push(HOSTNAME);
    await expect(proxy().upsert(route(40001))).rejects.toMatchObject({
      message: `Nginx Proxy Manager: ${HOSTNAME} is already in use`,
      hint: expect.stringContaining("redirection host or 404 host"),
    });
  });
});

describe("npm tokens", () => {
  it("an expired token: one new login, then the same request again", async () => {
    const p = proxy();
    await p.upsert(route(40001));
    npm.expireTokens();
    npm.requests.length = 0;
    await p.upsert(route(40002));
    expect(npm.calls().slice(0, 3)).toEqual([
      "GET /api/nginx/proxy-hosts",
      "POST /api/tokens",
      "GET /api/nginx/proxy-hosts",
    ]);
    expect(npm.served.get(HOSTNAME)).toBe("127.0.0.1:40002");
  });

  it("a token from the environment is used as is, with no login", async () => {
    await proxy({ token: npm.issueToken() }).upsert(route(40001));
    expect(npm.calls()).not.toContain("POST /api/tokens");
  });

  it("an expired token and nothing to log in with says which variable to renew", async () => {
    await expect(proxy({ token: npm.issueToken(-1) }).upsert(route(40001))).rejects.toMatchObject({
      message: "Nginx Proxy Manager: TINYFORGE_PROXY_TOKEN has expired",
      hint: expect.stringContaining("TINYFORGE_PROXY_USER"),
    });
  });

  it("a wrong password fails with NPM's reason and never echoes the password", async () => {
    const err = await proxy({ user: "admin@example.com", password: "s3cret-pw" })
      .upsert(route(40001))
      .catch((e: Error) => e);
    expect(err).toMatchObject({
      message: "Nginx Proxy Manager login failed: HTTP 400 Invalid email or password",
    });
    expect(JSON.stringify(err)).not.toContain("s3cret-pw");
  });

  it("no credentials at all is a usage error before any request", () => {
    expect(() => proxy({})).toThrow(expect.objectContaining({ code: "usage" }));
    expect(npm.requests).toEqual([]);
  });
});

describe("npm remove and get", () => {
  it("remove deletes only the host with the exact name; get reads its target", async () => {
    const p = proxy();
    npm.seed({ domain_names: [`data.${HOSTNAME}`], forward_host: "10.0.0.9", forward_port: 80 });
    await p.upsert(route(40001));
    expect(await p.get(HOSTNAME)).toEqual(route(40001));
    await p.remove(HOSTNAME);
    expect(npm.calls().filter((c) => c.startsWith("DELETE"))).toEqual(["DELETE /api/nginx/proxy-hosts/2"]);
    expect(await p.get(HOSTNAME)).toBeUndefined();
    expect(npm.served.has(`data.${HOSTNAME}`)).toBe(true);
    await p.remove(HOSTNAME); // gone already: nothing to do
  });
});
