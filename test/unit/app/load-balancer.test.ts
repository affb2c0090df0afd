// A load balancer in front of a stage's hosts: one route listing every host's serving container,
// written once every host swapped and before any old container goes, left alone when the rollout
// fails, removed at teardown; a load balancer that refuses the route sends every host back.
import { afterEach, describe, expect, it } from "vitest";
import { noCredentials } from "../../../src/app/credentials.js";
import { execute } from "../../../src/app/execute.js";
import { environmentGrants } from "../../../src/app/grants.js";
import type { Session } from "../../../src/app/session.js";
import { type ConfigInput, configSchema } from "../../../src/config/schema.js";
import { acquireLock } from "../../../src/deploy/lock.js";
import { TinyforgeError } from "../../../src/errors.js";
import { systemClock } from "../../../src/ports/clock.js";
import type { HttpRequest, HttpResponse } from "../../../src/ports/host.js";
import { Store } from "../../../src/state/store.js";
import { FakeHost } from "../../fakes/host.js";

const V1 = "1111111111111111111111111111111111111111";
const V2 = "2222222222222222222222222222222222222222";
const made: FakeHost[] = [];
afterEach(() => {
  for (const h of made.splice(0)) h.dispose();
});

const ID = "tinyforge-stage-production-shop.example.com";

/** Caddy's admin API as the driver uses it: the routes list, POST to append, PATCH /id/X, DELETE. */
class FakeCaddy {
  routes: Array<Record<string, unknown>> = [];
  refuse = false;
  readonly writes: string[] = [];
  handle = async (_port: number, req: HttpRequest): Promise<HttpResponse> => {
    const ok = (json?: unknown) => ({
      status: 200,
      headers: {},
      body: json === undefined ? "" : JSON.stringify(json),
    });
    if (req.method === "GET") return ok(this.routes);
    if (this.refuse) return { status: 500, headers: {}, body: '{"error":"loading config: boom"}' };
    this.writes.push(req.method);
    if (req.method === "POST") this.routes.push(...(JSON.parse(req.body!) as Array<Record<string, unknown>>));
    else if (req.method === "PATCH") {
      const i = this.routes.findIndex((r) => `/id/${r["@id"]}` === req.path);
      this.routes[i] = JSON.parse(req.body!);
    } else if (req.method === "DELETE") this.routes.splice(Number(req.path.split("/").pop()), 1);
    return ok();
  };
  /** The dial addresses of our route, or undefined when there is none. */
  dials(): string[] | undefined {
    const r = this.routes.find((x) => x["@id"] === ID) as
      | { handle: Array<{ upstreams: Array<{ dial: string }> }> }
      | undefined;
    return r?.handle[0]?.upstreams.map((u) => u.dial);
  }
}

const web = {
  source: "image",
  image: "registry.example.com/shop/web:{sha}",
  port: 8080,
  drain: "0s",
  stop_timeout: "0s",
  healthcheck: { path: "/healthz", interval: "100ms", retries: 2 },
} as const;

function session(top: Partial<ConfigInput> = {}) {
  const hosts = new Map<string, FakeHost>();
  for (const name of ["a", "b", "lb"]) {
    const h = new FakeHost({ name });
    made.push(h);
    hosts.set(`ssh://deploy@${name}`, h);
  }
  const caddy = new FakeCaddy();
  hosts.get("ssh://deploy@lb")!.onHttp = caddy.handle;
  const config = configSchema.parse({
    project: "shop",
    hosts: ["ssh://deploy@a", "ssh://deploy@b"],
    domain: "example.com",
    load_balancer: { host: "ssh://deploy@lb", driver: "caddy" },
    stages: { production: { branch: "main" } },
    workloads: { web },
    ...top,
  });
  const s: Session = {
    config,
    dir: "/nonexistent",
    file: "tinyforge.yml",
    credentials: noCredentials,
    grants: environmentGrants({}),
    lockTtlMs: 30_000,
    openHost: async (entry) => hosts.get(entry)!,
  };
  const host = (name: string) => hosts.get(`ssh://deploy@${name}`)!;
  /** From now on the host's SSH connection fails, as a host that is down or cut off. */
  const cutOff = (name: string) => {
    s.openHost = async (entry) => {
      if (entry === `ssh://deploy@${name}`)
        throw new TinyforgeError(
          "host_unreachable",
          `deploy@${name}:22: cannot reach the host over SSH (EHOSTUNREACH)`,
        );
      return hosts.get(entry)!;
    };
  };
  return { s, host, caddy, cutOff };
}

const deployOp = (sha: string) => ({ kind: "deploy", stage: { stage: "production" }, sha }) as const;

async function active(h: FakeHost) {
  return (await new Store(h.files, ".tinyforge", "shop").readInstance("web.production"))?.active;
}

/** Where the load balancer should send requests: each host's serving container. */
async function serving(...names: string[]) {
  return (
    await Promise.all(names.map(async (n) => `127.0.0.1:${(await active(hostOf(n)))!.hostPort}`))
  ).sort();
}
let hostOf: (n: string) => FakeHost;

describe("a load balancer in front of the hosts", () => {
  it("one route lists every host's serving container, checked on the workload's health path", async () => {
    const { s, host, caddy } = session();
    hostOf = host;
    await execute(s, deployOp(V1));
    expect(caddy.dials()).toEqual(await serving("a", "b"));
    const route = caddy.routes[0] as { handle: Array<{ health_checks: { active: { uri: string } } }> };
    expect(route.handle[0]!.health_checks.active.uri).toBe("/healthz");
  });

  it("moves to the new containers after every host swapped and before any old one is removed", async () => {
    const { s, host, caddy } = session();
    hostOf = host;
    await execute(s, deployOp(V1));
    const timeline: string[] = [];
    for (const n of ["a", "b"])
      host(n).docker.beforeCall = (call) => {
        if (call.startsWith("remove")) timeline.push(`${n} remove`);
      };
    const handle = caddy.handle;
    host("lb").onHttp = async (port, req) => {
      if (req.method === "PATCH") timeline.push("lb patch");
      return handle(port, req);
    };
    const results = await execute(s, deployOp(V2));
    expect(results.map((r) => r.outcome)).toEqual(["success", "success"]);
    expect(timeline[0]).toBe("lb patch");
    expect(timeline.filter((t) => t.endsWith("remove"))).toHaveLength(2);
    expect(caddy.dials()).toEqual(await serving("a", "b"));
  });

  it("a gate that fails on one host leaves the route as it was", async () => {
    const { s, host, caddy } = session();
    hostOf = host;
    await execute(s, deployOp(V1));
    const before = JSON.stringify(caddy.routes);
    const writes = caddy.writes.length;
    host("b").docker.behaviour = (image) => (image.endsWith(V2) ? "unhealthy" : "healthy");
    const results = await execute(s, deployOp(V2));
    expect(results.map((r) => r.outcome)).toEqual(["failed", "failed"]);
    expect(JSON.stringify(caddy.routes)).toBe(before);
    expect(caddy.writes.length).toBe(writes);
  });

  it("a load balancer that refuses the route sends every host back to the old release", async () => {
    const { s, host, caddy } = session();
    hostOf = host;
    const first = await execute(s, deployOp(V1));
    caddy.refuse = true;
    const results = await execute(s, deployOp(V2));
    expect(results.map((r) => r.outcome)).toEqual(["failed", "failed"]);
    expect(results[0]!.error?.message).toMatch(/^load balancer: caddy refused PATCH/);
    for (const n of ["a", "b"]) expect((await active(host(n)))?.deployId).toBe(first[0]!.deployId);
  });

  it("teardown removes the route once no host serves the instance", async () => {
    const { s, host, caddy } = session();
    hostOf = host;
    await execute(s, deployOp(V1));
    await execute(s, { kind: "teardown", stage: { stage: "production" } });
    expect(caddy.dials()).toBeUndefined();
  });

  it("an instance evicted by max_instances leaves the load balancer; the others keep their routes", async () => {
    const { s, caddy } = session({ stages: { production: { branch: "main", max_instances: 2 } } });
    for (const tag of ["t1", "t2", "t3"])
      await execute(s, { kind: "deploy", stage: { stage: "production" }, sha: V1, tag });
    expect(caddy.routes.map((r) => r["@id"])).toEqual([
      "tinyforge-stage-production-shop-t2.example.com",
      "tinyforge-stage-production-shop-t3.example.com",
    ]);
  });

  it("reconcile writes the route from what each host serves", async () => {
    const { s, host, caddy } = session();
    hostOf = host;
    await execute(s, deployOp(V1));
    caddy.routes = [];
    const out = await execute(s, { kind: "reconcile" });
    expect(out.find((o) => o.host === "load balancer")?.lines).toEqual([
      "stage-production-shop.example.com: 2 host(s)",
    ]);
    expect(caddy.dials()).toEqual(await serving("a", "b"));
  });

  it("a host's private address is where its containers publish and where the load balancer dials", async () => {
    const { s, host, caddy } = session({
      load_balancer: {
        host: "ssh://deploy@lb",
        driver: "caddy",
        private_addresses: { "ssh://deploy@b": "10.0.0.12" },
      },
    });
    hostOf = host;
    await execute(s, deployOp(V1));
    const publishedOn = (n: string) => [...host(n).docker.containers.values()].map((c) => c.spec.publishIp);
    expect(publishedOn("a")).toEqual(["127.0.0.1"]);
    expect(publishedOn("b")).toEqual(["10.0.0.12"]);
    const b = (await active(host("b")))!.hostPort;
    expect(caddy.dials()).toContain(`10.0.0.12:${b}`);
  });
});

describe("reconcile --routes and the load balancer", () => {
  const routesOp = { kind: "reconcile", routes: true } as const;
  const lbLines = (out: Array<{ host: string; lines: string[] }>) =>
    out.find((o) => o.host === "load balancer")?.lines;
  const privately = {
    load_balancer: {
      host: "ssh://deploy@lb",
      driver: "caddy",
      private_addresses: { "ssh://deploy@a": "10.0.0.11", "ssh://deploy@b": "10.0.0.12" },
    },
  } as const;

  it("puts back a route the load balancer lost, the one a deploy wrote, and touches no container", async () => {
    const { s, host, caddy } = session();
    hostOf = host;
    await execute(s, deployOp(V1));
    const written = JSON.stringify(caddy.routes);
    const calls = (n: string) => host(n).docker.calls;
    const before = ["a", "b"].map((n) => calls(n).length);
    caddy.routes = [];
    const out = await execute(s, routesOp);
    const [pa, pb] = await serving("a", "b");
    expect(lbLines(out)).toEqual([
      `shop/web.production: route stage-production-shop.example.com restored → ${pa}, ${pb}`,
    ]);
    expect(JSON.stringify(caddy.routes)).toBe(written);
    expect(["a", "b"].map((n) => calls(n).length)).toEqual(before);
  });

  it("a route over other upstreams than the hosts serve is rewritten; one in place is left be", async () => {
    const { s, host, caddy } = session();
    hostOf = host;
    await execute(s, deployOp(V1));
    const route = caddy.routes[0] as { handle: Array<{ upstreams: Array<{ dial: string }> }> };
    route.handle[0]!.upstreams = [{ dial: "127.0.0.1:1" }];
    expect(lbLines(await execute(s, routesOp))).toHaveLength(1);
    expect(caddy.dials()).toEqual(await serving("a", "b"));
    const writes = caddy.writes.length;
    expect(lbLines(await execute(s, routesOp))).toEqual([]);
    expect(caddy.writes.length).toBe(writes);
  });

  it("a host that cannot be reached keeps its upstream as the load balancer had it, the others are put right, and it is said", async () => {
    const { s, host, caddy, cutOff } = session(privately);
    hostOf = host;
    await execute(s, deployOp(V1));
    const a = (await active(host("a")))!.hostPort;
    const b = (await active(host("b")))!.hostPort;
    const route = caddy.routes[0] as { handle: Array<{ upstreams: Array<{ dial: string }> }> };
    route.handle[0]!.upstreams = [{ dial: "10.0.0.11:1" }, { dial: `10.0.0.12:${b}` }];
    cutOff("b");
    const out = await execute(s, routesOp);
    expect(out.find((o) => o.host === "deploy@b:22")).toEqual({
      host: "deploy@b:22",
      lines: [
        "not reached, its routes not checked: deploy@b:22: cannot reach the host over SSH (EHOSTUNREACH)",
      ],
      unreached: true,
    });
    expect(lbLines(out)).toEqual([
      `shop/web.production: route stage-production-shop.example.com restored → 10.0.0.11:${a}, 10.0.0.12:${b} (deploy@b:22 not reached: its upstream kept as the load balancer had it)`,
    ]);
    expect(caddy.dials()).toEqual([`10.0.0.11:${a}`, `10.0.0.12:${b}`]);
  });

  it("a route lost whole while a host cannot be reached is written over the hosts that can be", async () => {
    const { s, host, caddy, cutOff } = session(privately);
    hostOf = host;
    await execute(s, deployOp(V1));
    const a = (await active(host("a")))!.hostPort;
    caddy.routes = [];
    cutOff("b");
    expect(lbLines(await execute(s, routesOp))).toEqual([
      `shop/web.production: route stage-production-shop.example.com restored → 10.0.0.11:${a} (deploy@b:22 not reached: left out until it can be read)`,
    ]);
    expect(caddy.dials()).toEqual([`10.0.0.11:${a}`]);
  });

  it("with no host of the stage reached, the load balancer's routes are said not checked, not in place", async () => {
    const { s, cutOff } = session({ hosts: ["ssh://deploy@b"] });
    await execute(s, deployOp(V1));
    cutOff("b");
    const out = await execute(s, routesOp);
    expect(lbLines(out)).toEqual(["shop: stage production: no host reached, its routes not checked"]);
    expect(out.find((o) => o.host === "deploy@b:22")?.unreached).toBe(true);
  });

  it("a load balancer that cannot be reached is said, and the hosts' routes are still checked", async () => {
    const { s, cutOff } = session();
    await execute(s, deployOp(V1));
    cutOff("lb");
    const out = await execute(s, routesOp);
    expect(out.map((o) => o.host)).toEqual(["a", "b", "load balancer"]);
    expect(out[2]).toEqual({
      host: "load balancer",
      lines: [
        "not reached, its routes not checked: deploy@lb:22: cannot reach the host over SSH (EHOSTUNREACH)",
      ],
      unreached: true,
    });
  });

  it("an instance whose deploy holds its lock on a host is left to that deploy", async () => {
    const { s, host, caddy } = session();
    await execute(s, deployOp(V1));
    caddy.routes = [];
    const store = new Store(host("b").files, ".tinyforge", "shop");
    const lock = await acquireLock(
      store.files,
      store.lockDir("web", "production"),
      { owner: "someone", deployId: "01DEPLOY" },
      { ttlMs: 30_000, waitMs: 0, clock: systemClock },
    );
    try {
      expect(lbLines(await execute(s, routesOp))).toEqual([
        "shop/web.production: skipped, a deploy holds its lock and sets its own route",
      ]);
      expect(caddy.routes).toEqual([]);
    } finally {
      await lock.release();
    }
  });
});
