import { afterEach, describe, expect, it } from "vitest";
import type { Behaviour } from "../../fakes/docker.js";
import { disposeAll, HOSTNAME, type HarnessOptions, harness, imageOf, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

const NO_HEALTHCHECK = { healthcheck: undefined, liveness_window: "5s" };

/** Blue (v1) serves; then v2, whose process behaves as given, is deployed. */
async function v2That(behaviour: Behaviour, o: HarnessOptions & { crashAfterMs?: number } = {}) {
  const h = harness(o);
  h.docker.behaviour = (image) => (image === imageOf(V2) ? behaviour : "healthy");
  if (o.crashAfterMs !== undefined) h.docker.crashAfterMs = o.crashAfterMs;
  const blue = await h.deploy(V1);
  const mark = h.docker.calls.length;
  const r = await h.deploy(V2);
  return { h, blue, r, v2Calls: h.docker.calls.slice(mark) };
}

/** Blue still serves exactly as before: running, never stopped, routed to, recorded as active. */
async function expectBlueUntouched({ h, blue, v2Calls }: Awaited<ReturnType<typeof v2That>>) {
  expect(v2Calls.filter((c) => c.startsWith("stop") || c === "remove c1" || c.startsWith("rename"))).toEqual(
    [],
  );
  expect(h.docker.byName(blue.container!)?.status).toBe("running");
  expect(h.proxy.calls).toEqual([`upsert ${HOSTNAME} -> 127.0.0.1:40000`]);
  expect(h.proxy.routes.get(HOSTNAME)?.upstream.port).toBe(40000);
  const state = await h.state();
  expect(state?.active).toMatchObject({ sha: V1, containerId: "c1" });
  expect(state?.previous).toEqual([]);
}

describe("blue-green: a green that fails its gate", () => {
  it("unhealthy: fails with health_timeout after retries × interval of probes, removes green, leaves blue", async () => {
    const run = await v2That("unhealthy");
    const { h, r, v2Calls } = run;

    expect(r.outcome).toBe("failed");
    expect(r.error?.code).toBe("health_timeout");
    expect(r.error?.message).toContain("HTTP 500");
    // Probes are paced by green's age, every 50 ms at first: more probes than retries, all on green.
    const probes = h.host.probes.filter((p) => p.startsWith("GET 40001"));
    expect(probes.length).toBeGreaterThan(3);
    expect(new Set(probes)).toEqual(new Set(["GET 40001 /healthz"]));
    expect(r.container).toBeNull();
    expect(v2Calls).toEqual([
      `pull ${imageOf(V2)}`,
      expect.stringMatching(/^create shop-web-production-/),
      "start c2",
      "remove c2",
    ]);
    expect(h.docker.containers.has("c2")).toBe(false);
    expect(r.steps.map((s) => [s.name, s.ok])).toEqual([
      ["lock", true],
      ["pull", true],
      ["create", true],
      ["start", true],
      ["gate", false],
    ]);
    await expectBlueUntouched(run);
  });

  it("crash with a healthcheck: fails as container_exited at once, not after every retry", async () => {
    const run = await v2That("crash");
    expect(run.r.error).toMatchObject({ code: "container_exited" });
    expect(run.r.error?.message).toMatch(/exited with code 1/);
    expect(run.h.host.probes.filter((p) => p.startsWith("GET 40001")).length).toBeLessThan(3);
    expect(run.h.docker.containers.has("c2")).toBe(false);
    await expectBlueUntouched(run);
  });

  it("crash without a healthcheck: the liveness window catches the exit", async () => {
    const run = await v2That("crash", { workload: NO_HEALTHCHECK });
    expect(run.r.outcome).toBe("failed");
    expect(run.r.error).toMatchObject({ code: "container_exited" });
    expect(run.h.host.probes).toEqual([]);
    expect(run.h.docker.containers.has("c2")).toBe(false);
    await expectBlueUntouched(run);
  });

  it("crash late in the liveness window still fails it", async () => {
    const run = await v2That("crash", { workload: NO_HEALTHCHECK, crashAfterMs: 4500 });
    expect(run.r.error).toMatchObject({ code: "container_exited" });
    await expectBlueUntouched(run);
  });

  it("crash after the liveness window passes the gate", async () => {
    const run = await v2That("crash", { workload: NO_HEALTHCHECK, crashAfterMs: 60_000 });
    expect(run.r.outcome).toBe("success");
  });

  it("a crash loop (running, but restarted) fails the liveness window as restarted", async () => {
    const run = await v2That("restarting", { workload: NO_HEALTHCHECK, crashAfterMs: 1500 });
    expect(run.r.error).toMatchObject({ code: "container_exited" });
    expect(run.r.error?.message).toMatch(/restarted/);
    await expectBlueUntouched(run);
  });

  it("records the whole liveness window on the clock when green stays up", async () => {
    const h = harness({ workload: { ...NO_HEALTHCHECK, liveness_window: "7s" } });
    const t0 = h.clock.now();
    await h.deploy(V1);
    expect(h.clock.now() - t0).toBeGreaterThanOrEqual(7000);
  });
});

describe("blue-green: failures before the gate", () => {
  it("a failed start removes the half-made green and leaves blue", async () => {
    const h = harness();
    const blue = await h.deploy(V1);
    h.docker.failOn.start = (name) => name !== blue.container;
    const mark = h.docker.calls.length;
    const r = await h.deploy(V2);
    expect(r.outcome).toBe("failed");
    expect(h.docker.calls.slice(mark)).toEqual([
      `pull ${imageOf(V2)}`,
      expect.stringMatching(/^create /),
      "start c2",
      "remove c2",
    ]);
    expect([...h.docker.containers.keys()]).toEqual(["c1"]);
    expect((await h.state())?.active?.sha).toBe(V1);
  });

  it("a failed pull creates nothing and reports pull_failed", async () => {
    const h = harness();
    await h.deploy(V1);
    h.docker.failOn.pull = imageOf(V2);
    const r = await h.deploy(V2);
    expect(r.error?.code).toBe("pull_failed");
    expect(h.docker.calls.filter((c) => c.startsWith("create"))).toHaveLength(1);
    expect(r.steps.map((s) => s.name)).toEqual(["lock", "pull"]);
  });
});

describe("blue-green: the state write fails after the route moved", () => {
  it("puts the route back to blue, removes green, keeps blue serving", async () => {
    const h = harness();
    const blue = await h.deploy(V1);
    h.host.files.failWrite = (p) =>
      p.includes("/instances/") ? new Error("ENOSPC: no space left on device") : undefined;
    const r = await h.deploy(V2);

    expect(r.outcome).toBe("failed");
    expect(r.error).toMatchObject({ code: "deploy_failed", message: expect.stringContaining("ENOSPC") });
    expect(h.proxy.calls).toEqual([
      `upsert ${HOSTNAME} -> 127.0.0.1:40000`,
      `upsert ${HOSTNAME} -> 127.0.0.1:40001`,
      `upsert ${HOSTNAME} -> 127.0.0.1:40000`,
    ]);
    expect(h.proxy.routes.get(HOSTNAME)?.upstream).toEqual({ host: "127.0.0.1", port: 40000 });
    expect([...h.docker.containers.values()].map((c) => [c.name, c.status])).toEqual([
      [blue.container, "running"],
    ]);
    expect(h.docker.calls.some((c) => c.startsWith("stop"))).toBe(false);
    expect((await h.state())?.active?.sha).toBe(V1);
  });
});
