// A swarm+ssh:// host end to end, on the testbed's single-node Swarm (its own engine, reached over
// the real sshd with ?socket=) with Caddy as a container on the overlay network: the route dials
// tasks.SERVICE. v1 → v2 is Swarm's start-first update under 32 keep-alive connections through the
// proxy; a v3 whose health check fails is rolled back by Swarm and reported failed; rollback and
// teardown go through the same CLI as on a plain host.
import autocannon from "autocannon";
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, makeApp, parseJsonLines, tb } from "./harness.js";
import { DOMAIN, deployRef, hostnameOf, viaProxy, webWorkload } from "./proxy-harness.js";

interface SwarmTestbed {
  socket: string;
  host: string;
  network: string;
  caddyAdmin: string;
  caddyServer: string;
  caddyPort: number;
}
const sw = (tb as typeof tb & { swarm?: SwarmTestbed }).swarm;
if (!sw) throw new Error(".testbed/env.json has no swarm: run npm run testbed (scripts/testbed.sh up) again");
const engine = new Dockerode({ socketPath: sw.socket });

let app: App;
let hostname = "";
const service = () => `${app.project}_web_production`;

beforeAll(() => {
  app = makeApp(
    {
      web: webWorkload({
        // Swarm runs the gate inside the task; a short interval keeps the test quick.
        healthcheck: { path: "/healthz", retries: 2, interval: "1s", timeout: "2s" },
        replicas: 2,
        stop_timeout: "2s",
      }),
    },
    {
      hosts: [sw.host],
      swarm: { network: sw.network, monitor: "2s" },
      proxy: { driver: "caddy", admin: sw.caddyAdmin, server: sw.caddyServer },
      domain: DOMAIN,
    },
  );
});

afterAll(async () => {
  if (hostname)
    await fetch(`${sw.caddyAdmin}/id/tinyforge-${hostname}`, { method: "DELETE" }).catch(() => undefined);
  await engine
    .getService(service())
    .remove()
    .catch(() => undefined);
});

/** What the service runs, as Swarm says: its image and its tasks' states. */
async function serviceImage(): Promise<string | undefined> {
  const s = await engine
    .getService(service())
    .inspect()
    .catch(() => undefined);
  return s?.Spec?.TaskTemplate?.ContainerSpec?.Image;
}

describe("swarm+ssh:// host: each workload is a Swarm service", () => {
  it("deploys v1 as a service with its replicas and routes the proxy to its tasks", async () => {
    const { code, result } = await deployRef(app, "v1", "1".repeat(40));
    expect(result.error).toBeNull();
    expect(code).toBe(0);
    expect(result.outcome).toBe("success");
    expect(result.container).toBe(service());
    hostname = hostnameOf(result);
    expect(await viaProxy(sw.caddyPort, hostname)).toEqual({ status: 200, body: "v1" });
    expect(await serviceImage()).toBe("tinyforge/web:v1");
    const spec = (await engine.getService(service()).inspect()).Spec;
    expect(spec.Mode.Replicated.Replicas).toBe(2);
    expect(spec.UpdateConfig).toMatchObject({ Order: "start-first", FailureAction: "rollback" });
    expect(spec.EndpointSpec.Mode).toBe("dnsrr");
  });

  it("updates v1 → v2 start-first with zero failed requests through the proxy at 32 connections", async () => {
    const load = autocannon(
      {
        url: `http://127.0.0.1:${sw.caddyPort}/`,
        connections: 32,
        duration: 600, // stopped explicitly; only a ceiling
        // The machine is shared and loaded: a slow answer is not a failed one, a missing one is.
        timeout: 30,
        headers: { host: hostname },
        // Every answer is one of the two releases: an empty 200 (no route matched) is a failure too.
        verifyBody: (body) => String(body) === "v1\n" || String(body) === "v2\n",
      },
      () => undefined,
    );
    const done = new Promise<autocannon.Result>((resolve) => load.on("done", resolve));
    try {
      const { code, result } = await deployRef(app, "v2", "2".repeat(40));
      expect(result.error).toBeNull();
      expect(code).toBe(0);
      // Keep the load on until every request lands on v2 (the old tasks are gone).
      for (let i = 0; i < 50 && (await viaProxy(sw.caddyPort, hostname)).body !== "v2"; i++)
        await new Promise((r) => setTimeout(r, 200));
    } finally {
      load.stop();
    }
    const r = await done;
    expect(r.requests.total).toBeGreaterThan(100);
    expect({ non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, resets: r.resets }).toEqual({
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      resets: 0,
    });
    expect(await viaProxy(sw.caddyPort, hostname)).toEqual({ status: 200, body: "v2" });
  });

  it("a v3 whose health check fails is rolled back by Swarm and reported failed; v2 still serves", async () => {
    const { code, result } = await deployRef(app, "unhealthy", "3".repeat(40));
    expect(code).toBe(1);
    expect(result.outcome).toBe("failed");
    expect(result.error).toMatchObject({ code: "health_timeout" });
    expect(String((result.error as { message: string }).message)).toMatch(/rolled the update back/);
    expect(result.previous).toBe(service());
    expect(await serviceImage()).toBe("tinyforge/web:v2");
    expect(await viaProxy(sw.caddyPort, hostname)).toEqual({ status: 200, body: "v2" });
  });

  it("deploying the SHA the service already runs changes nothing", async () => {
    const { code, result } = await deployRef(app, "v2", "2".repeat(40));
    expect(code).toBe(0);
    expect(result.outcome).toBe("unchanged");
    expect(result.container).toBe(service());
  });

  it("status shows the service's tasks per node; history lists every deploy, newest first", async () => {
    let rows: Array<Record<string, unknown>> = [];
    let running = 0;
    // Swarm may still be replacing the rolled-back slot's task: look again for a while.
    for (let i = 0; i < 30 && running < 2; i++) {
      if (i) await new Promise((r) => setTimeout(r, 1000));
      const status = await app.cli(["status", "--json"]);
      expect(status.code).toBe(0);
      rows = JSON.parse(status.stdout) as Array<Record<string, unknown>>;
      const tasks = (rows[0]?.tasks ?? []) as Array<{ node: string; running: number; desired: number }>;
      running = tasks.reduce((n, t) => n + t.running, 0);
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: "running", container: service(), sha: "2".repeat(40) });
    expect(rows[0]!.tasks).toEqual([{ node: expect.any(String), running: 2, desired: 2 }]);
    const table = await app.cli(["status"]);
    expect(table.stdout).toMatch(/TASKS[\s\S]*\S+ 2\/2/);
    const history = await app.cli(["history", "web", "--stage", "production", "--json"]);
    const outcomes = (JSON.parse(history.stdout) as Array<{ outcome: string }>).map((h) => h.outcome);
    expect(outcomes).toEqual(["unchanged", "failed", "success", "success"]);
  });

  it("rollback returns the service to v1 through the same start-first update", async () => {
    const r = await app.cli(["rollback", "web", "--stage", "production", "--json"]);
    expect(r.code).toBe(0);
    expect(parseJsonLines(r.stdout)[0]).toMatchObject({ outcome: "success", sha: "1".repeat(40) });
    expect(await serviceImage()).toBe("tinyforge/web:v1");
    expect(await viaProxy(sw.caddyPort, hostname)).toEqual({ status: 200, body: "v1" });
  });

  it("teardown removes the route and the service", async () => {
    const r = await app.cli(["teardown", "web", "--stage", "production"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`removed service ${service()}`);
    expect(await serviceImage()).toBeUndefined();
    const res = await fetch(`${sw.caddyAdmin}/id/tinyforge-${hostname}`);
    expect(res.status).toBe(404);
  });
});
