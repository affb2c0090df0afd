// The caddy driver against the testbed's real Caddy 2, its admin API reached through the real
// sshd; and the engine's blue-green swap through it, checked with requests through Caddy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaddyProxy } from "../../src/adapters/proxy/caddy.js";
import { caddyRoute } from "../../src/adapters/proxy/caddy-route.js";
import type { Host } from "../../src/ports/host.js";
import { makeApp, projectContainers, removeProject } from "./harness.js";
import { DOMAIN, deployRef, hostnameOf, openTestHost, ptb, viaProxy, webWorkload } from "./proxy-harness.js";
import { uniqueName } from "./testbed.js";

const { caddy } = ptb;
let host: Host;
let proxy: CaddyProxy;
const hostnames: string[] = [];
const projects: string[] = [];

/** The routes of the testbed's server, read straight from Caddy (the test's own view). */
async function serverRoutes(): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${caddy.admin}/config/apps/http/servers/${caddy.server}/routes`);
  return ((await res.json()) as Array<Record<string, unknown>> | null) ?? [];
}
const ours = async (hostname: string) =>
  (await serverRoutes()).filter((r) => r["@id"] === `tinyforge-${hostname}`);

beforeAll(async () => {
  host = await openTestHost();
  proxy = new CaddyProxy(host, { admin: caddy.admin, server: caddy.server, tls: false });
});
afterAll(async () => {
  for (const h of hostnames) await proxy.remove(h).catch(() => undefined);
  await host?.close();
  for (const p of projects) await removeProject(p);
});

describe("caddy driver, real Caddy over SSH", () => {
  it("upsert is idempotent: applied twice, one route, and the second apply writes nothing", async () => {
    const hostname = `${uniqueName("idem")}.${DOMAIN}`;
    hostnames.push(hostname);
    const route = { hostname, upstream: { host: "127.0.0.1", port: 40001 }, tls: false };
    await proxy.upsert(route);
    // Only our route is compared: other runs share this Caddy and change theirs meanwhile.
    const once = await ours(hostname);
    const methods: string[] = [];
    const send = host.httpRequest.bind(host);
    host.httpRequest = (port, req) => {
      methods.push(req.method);
      return send(port, req);
    };
    try {
      await proxy.upsert(route);
    } finally {
      host.httpRequest = send;
    }
    expect(methods).toEqual(["GET"]);
    expect(await ours(hostname)).toEqual(once);
    expect(once).toEqual([caddyRoute(route)]);
  });

  it("a moved upstream is patched in place: never POST, PUT or DELETE; still one route, @id kept", async () => {
    const hostname = `${uniqueName("move")}.${DOMAIN}`;
    hostnames.push(hostname);
    await proxy.upsert({ hostname, upstream: { host: "127.0.0.1", port: 40001 }, tls: false });
    const calls: string[] = [];
    const send = host.httpRequest.bind(host);
    host.httpRequest = (port, req) => {
      calls.push(`${req.method} ${req.path}`);
      return send(port, req);
    };
    try {
      await proxy.upsert({ hostname, upstream: { host: "127.0.0.1", port: 40002 }, tls: false });
      await proxy.upsert({ hostname, upstream: { host: "127.0.0.1", port: 40003 }, tls: false });
    } finally {
      host.httpRequest = send;
    }
    // Other runs share this Caddy: a conflict with them may add a read and a repeat, never another verb.
    expect(new Set(calls.map((c) => c.split(" ")[0]))).toEqual(new Set(["GET", "PATCH"]));
    expect(calls.filter((c) => c.startsWith("PATCH"))).toContain(`PATCH /id/tinyforge-${hostname}`);
    expect(await ours(hostname)).toHaveLength(1);
    expect(await proxy.get(hostname)).toEqual({
      hostname,
      upstream: { host: "127.0.0.1", port: 40003 },
      tls: false,
    });
  });

  it("remove is explicit and leaves other routes alone", async () => {
    const a = `${uniqueName("rm-a")}.${DOMAIN}`;
    const b = `${uniqueName("rm-b")}.${DOMAIN}`;
    hostnames.push(a, b);
    await proxy.upsert({ hostname: a, upstream: { host: "127.0.0.1", port: 40001 }, tls: false });
    await proxy.upsert({ hostname: b, upstream: { host: "127.0.0.1", port: 40002 }, tls: false });
    await proxy.remove(a);
    expect(await ours(a)).toEqual([]);
    expect(await ours(b)).toHaveLength(1);
    expect(await proxy.get(a)).toBeUndefined();
    await proxy.remove(a);
  });
});

describe("caddy driver under concurrent clients", () => {
  it("routes moved while another client deletes routes before them end where their last upsert put them", async () => {
    const route = (hostname: string, port: number) => ({
      hostname,
      upstream: { host: "127.0.0.1", port },
      tls: false,
    });
    // Earlier in the list than ours: each deletion shifts the index every /id/X resolves to.
    const doomed = Array.from({ length: 8 }, (_, i) => `${uniqueName(`doomed-${i}`)}.${DOMAIN}`);
    const names = Array.from({ length: 6 }, (_, i) => `${uniqueName(`race-${i}`)}.${DOMAIN}`);
    hostnames.push(...doomed, ...names);
    for (const [i, h] of [...doomed, ...names].entries()) await proxy.upsert(route(h, 41000 + i));

    // Separate SSH connections, as separate deploy processes would be.
    const clients = await Promise.all([0, 1, 2, 3].map(() => openTestHost()));
    try {
      const drivers = clients.map(
        (h) => new CaddyProxy(h, { admin: caddy.admin, server: caddy.server, tls: false }),
      );
      await Promise.all([
        ...[0, 1, 2].map(async (k) => {
          for (let round = 0; round < 5; round++) {
            for (const i of [k, k + 3]) await drivers[k]!.upsert(route(names[i]!, 42000 + i * 10 + round));
          }
        }),
        (async () => {
          for (const h of doomed) await drivers[3]!.remove(h);
        })(),
      ]);
    } finally {
      await Promise.all(clients.map((h) => h.close()));
    }

    const after = await serverRoutes();
    for (const h of doomed) expect(after.filter((r) => r["@id"] === `tinyforge-${h}`)).toEqual([]);
    for (const [i, h] of names.entries()) {
      expect(await ours(h)).toEqual([caddyRoute(route(h, 42000 + i * 10 + 4))]);
    }
  });
});

describe("blue-green through Caddy (the engine over the real sshd)", () => {
  it("v1 serves; a failed v2 leaves the route on v1; v2 then serves and v1's container is gone", async () => {
    const app = makeApp(
      { web: webWorkload() },
      { proxy: { driver: "caddy", admin: caddy.admin, server: caddy.server }, domain: DOMAIN },
    );
    projects.push(app.project);

    const v1 = await deployRef(app, "v1", "1111111");
    expect(v1.code).toBe(0);
    const hostname = hostnameOf(v1.result);
    hostnames.push(hostname);
    expect(hostname).toBe(`stage-production-${app.project}.${DOMAIN}`);
    expect(v1.result.url).toBe(`http://${hostname}`);
    expect(await viaProxy(caddy.port, hostname)).toEqual({ status: 200, body: "v1" });

    const bad = await deployRef(app, "unhealthy", "3333333");
    expect(bad.code).toBe(1);
    expect(bad.result).toMatchObject({ outcome: "failed", error: { code: "health_timeout" } });
    expect((bad.result.steps as Array<{ name: string }>).map((s) => s.name)).not.toContain("route");
    expect(await viaProxy(caddy.port, hostname)).toEqual({ status: 200, body: "v1" });
    expect((await projectContainers(app.project)).map((c) => c.Names[0]?.slice(1))).toEqual([
      v1.result.container,
    ]);

    const v2 = await deployRef(app, "v2", "2222222");
    expect(v2.code).toBe(0);
    expect(v2.result).toMatchObject({
      outcome: "success",
      previous: v1.result.container,
      url: `http://${hostname}`,
    });
    expect(await viaProxy(caddy.port, hostname)).toEqual({ status: 200, body: "v2" });
    expect((await projectContainers(app.project)).map((c) => c.Names[0]?.slice(1))).toEqual([
      v2.result.container,
    ]);
    // Three deploys, one route: every swap was a PATCH in place.
    expect(await ours(hostname)).toHaveLength(1);
  });
});
