// The bake window over the fake engine: the figures and the verdict, the revert's order (route
// back on blue before green goes), and `--cancel-bake` from a second deployer on the same host or
// from a deploy waiting in the same process.
import { afterEach, describe, expect, it } from "vitest";
import { type BakeConfig, bakeSchema } from "../../../src/config/bake.js";
import { configSchema } from "../../../src/config/schema.js";
import { certainFailure, judge, percentile, type Sample } from "../../../src/deploy/bake-figures.js";
import { systemClock } from "../../../src/ports/clock.js";
import { disposeAll, harness, V1, V2, V3 } from "../../fakes/engine.js";

afterEach(disposeAll);

const bake = (over: Record<string, unknown> = {}): BakeConfig =>
  bakeSchema.parse({ for: "10s", probe: { path: "/soak", every: "1s" }, ...over })!;
const ok = (ms: number): Sample => ({ ok: true, answered: true, ms });
const err = (ms: number): Sample => ({ ok: false, answered: true, ms });

describe("bake figures", () => {
  it("nearest-rank percentiles; none without samples", () => {
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.99)).toBe(100);
    expect(percentile([], 0.5)).toBeNull();
  });

  it("a bake within its thresholds holds, and its summary is the one line every surface shows", () => {
    const f = judge([ok(12), ok(10), ok(41), ok(11)], bake({ max_p99: "100ms" }), 4000);
    expect(f).toMatchObject({ verdict: "held", probes: 4, ok: 4, p50Ms: 11, p99Ms: 41 });
    expect(f.summary).toBe("soak 4/4 ok, p50 11 ms, p99 41 ms");
  });

  it("too many errors or a slow p99 fail it, saying which", () => {
    expect(judge([ok(1), err(1)], bake(), 2000).summary).toBe(
      "soak 1/2 ok, p50 1 ms, p99 1 ms (error rate 50% over 1%)",
    );
    expect(judge([ok(1), ok(900)], bake({ max_p99: "500ms" }), 2000)).toMatchObject({
      verdict: "failed",
      reason: "p99 over 500 ms",
    });
  });

  it("is certain to fail as soon as the errors exceed what the whole window allows", () => {
    const b = bake({ for: "100s", max_error_rate: "2%" }); // 100 probes planned: 2 errors allowed
    expect(certainFailure([err(1), err(1)], b)).toBeUndefined();
    expect(certainFailure([err(1), err(1), err(1)], b)).toBe("3 failed probes, more than 2% of 100");
  });
});

describe("bake config bounds (repo-settable: each duration holds the lock)", () => {
  const parse = (b: unknown) =>
    configSchema.safeParse({
      project: "shop",
      stages: { production: { branch: "main" } },
      workloads: { web: { source: "image", image: "x:1", port: 80, bake: b } },
    });
  const issues = (b: unknown) => {
    const r = parse(b);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("refuses a window past 30m, a zero one and nonsense, naming the key", () => {
    expect(issues({ for: "9999h" })).toEqual([
      'workloads.web.bake.for: must be from 1s to 30m (got "9999h")',
    ]);
    expect(issues({ for: "31m" })).toEqual(['workloads.web.bake.for: must be from 1s to 30m (got "31m")']);
    expect(issues({ for: "0s" })[0]).toMatch(/^workloads\.web\.bake\.for: must be from 1s to 30m/);
    expect(issues({ for: "2m", probe: { every: "10ms" } })[0]).toMatch(
      /^workloads\.web\.bake\.probe\.every: /,
    );
    expect(issues({ for: "2m", max_error_rate: "150%" })[0]).toMatch(
      /^workloads\.web\.bake\.max_error_rate: /,
    );
    expect(issues({ for: "2m", max_error_rate: 1 })[0]).toMatch(/^workloads\.web\.bake\.max_error_rate: /);
    expect(issues({ for: "2m", max_p99: "1h" })[0]).toMatch(/^workloads\.web\.bake\.max_p99: /);
    expect(issues({ for: "2m", __proto__: { x: 1 }, extra: 1 })[0]).toMatch(/^workloads\.web\.bake: /);
  });

  it("takes the issue's example with its defaults", () => {
    const r = parse({
      for: "2m",
      probe: { path: "/", every: "1s" },
      max_error_rate: "1%",
      max_p99: "1500ms",
    });
    expect(r.success && r.data.workloads.web!.bake).toEqual({
      for: 120_000,
      probe: { path: "/", every: 1000, timeout: 2000 },
      max_error_rate: 0.01,
      max_p99: 1500,
    });
  });

  it("needs blue-green and one plain host", () => {
    const r = configSchema.safeParse({
      project: "shop",
      hosts: ["ssh://a@h1", "ssh://a@h2"],
      stages: { production: { branch: "main" } },
      workloads: {
        web: { source: "image", image: "x:1", port: 80, bake: { for: "1m" } },
        app: { source: "dockerfile", port: 80, bake: { for: "1m" } },
      },
    });
    const got = r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(got).toContain(
      "workloads.web.bake: is supported on a stage with one host only (this config deploys a stage to several hosts)",
    );
    expect(got.some((l) => l.startsWith('workloads.app.bake: needs deploy_strategy "blue-green"'))).toBe(
      true,
    );
  });
});

describe("bake in the engine", () => {
  it("a release failing its soak goes: the route is upserted back on blue, then green is removed", async () => {
    const h = harness({
      workload: { bake: { for: "10s", probe: { path: "/soak", every: "1s" } }, drain: "0ms" },
    });
    const v1 = await h.deploy(V1);
    const v1Port = (await h.state())?.active?.hostPort;
    const get = h.host.httpGet.bind(h.host);
    h.host.httpGet = async (port, path, t) =>
      path === "/soak" ? { status: 503, body: "" } : get(port, path, t);
    const t0 = h.timeline.length;
    const r = await h.deploy(V2);

    expect(r).toMatchObject({ outcome: "failed", previous: v1.container, error: { code: "bake_failed" } });
    expect(r.bake).toMatchObject({ verdict: "failed", probes: 1, ok: 0 });
    expect(r.error?.message).toBe(
      `bake failed: soak 0/1 ok, p50 0 ms, p99 0 ms (1 failed probes, more than 1% of 10); reverted to ${v1.container}`,
    );
    const after = h.timeline.slice(t0);
    const back = after.indexOf(`proxy upsert stage-production-shop -> 127.0.0.1:${v1Port}`);
    const gone = after.findIndex((l) => l.startsWith("docker remove "));
    expect(back).toBeGreaterThan(-1);
    expect(gone).toBeGreaterThan(back);
    const state = await h.state();
    expect(state?.active?.container).toBe(v1.container);
    expect(state?.bake).toBeUndefined();
  });

  it("--cancel-bake: the waiting deploy ends the bake (it reverts), then runs from the old release", async () => {
    const REAL = { clock: systemClock, lockTtlMs: 1000 };
    const workload = { bake: { for: "30s", probe: { path: "/healthz", every: "100ms" } }, drain: "0ms" };
    const a = harness({ ...REAL, owner: "ci@A", workload });
    // B's own release bakes for a second: the test waits for B's end.
    const short = { ...workload, bake: { ...workload.bake, for: "1s" } };
    const b = harness({ ...REAL, owner: "ci@B", workload: short, host: a.host, proxy: a.proxy });
    const v1 = await a.deploy(V1);
    const baking = a.deploy(V2);
    while (!(await a.state())?.bake) await new Promise((r) => setTimeout(r, 20));
    const t = Date.now();
    const next = await b.deploy(V3, { cancelBake: true });
    const cancelled = await baking;

    expect(cancelled).toMatchObject({
      outcome: "failed",
      previous: v1.container,
      error: { code: "bake_failed" },
    });
    expect(cancelled.bake?.verdict).toBe("cancelled");
    expect(cancelled.error?.message).toMatch(/^bake cancelled: soak \d+\/\d+ ok/);
    expect(next).toMatchObject({ outcome: "success", previous: v1.container });
    expect(Date.now() - t).toBeLessThan(15_000);
  }, 30_000);

  it("a deploy waiting in the same process (the bot's queue) ends the bake without the host's file", async () => {
    const workload = { bake: { for: "30s", probe: { path: "/healthz", every: "100ms" } }, drain: "0ms" };
    const h = harness({ clock: systemClock, lockTtlMs: 1000, workload });
    const v1 = await h.deploy(V1);
    let asking: string | undefined;
    h.ctx.bakeCancelledBy = () => asking;
    const baking = h.deploy(V2);
    while (!(await h.state())?.bake) await new Promise((r) => setTimeout(r, 20));
    const t = Date.now();
    asking = "01JCHATDEPLOY";
    const r = await baking;

    expect(r).toMatchObject({ outcome: "failed", previous: v1.container, error: { code: "bake_failed" } });
    expect(r.bake?.verdict).toBe("cancelled");
    expect(r.error?.message).toMatch(
      new RegExp(
        `^bake cancelled: soak \\d+/\\d+ ok, .*\\(cancelled by deploy 01JCHATDEPLOY\\); reverted to ${v1.container}$`,
      ),
    );
    expect(Date.now() - t).toBeLessThan(5_000);
    expect((await h.state())?.active?.container).toBe(v1.container);
  }, 30_000);
});
