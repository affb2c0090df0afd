// The success is reported as soon as the new release serves and is persisted; retiring the old
// one (drain, stop, remove) follows under the same lock, and the deploy ends only when it has.
import { afterEach, describe, expect, it } from "vitest";
import type { DeployHooks } from "../../../src/deploy/hooks.js";
import { disposeAll, harness, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

const SIGTERM_FIX =
  "your app does not stop on SIGTERM; it was killed after 10s — handle SIGTERM, or set stop_timeout";

function onTimeline(timeline: string[]): DeployHooks {
  return {
    name: "rec",
    started: async () => void timeline.push("report started"),
    step: async (_i, s) => void timeline.push(`report step ${s.name}`),
    finished: async (_i, r) => void timeline.push(`report ${r.outcome}`),
  };
}

describe("report at the swap", () => {
  it("reports success after the route and state point at green, before blue is stopped", async () => {
    const h = harness({ workload: { drain: "2s" } });
    await h.deploy(V1);
    h.ctx.hooks = [onTimeline(h.timeline)];
    const mark = h.timeline.length;
    await h.deploy(V2);
    const story = h.timeline.slice(mark).filter((l) => /^report|upsert|stop|remove c|instances/.test(l));
    const at = (re: RegExp) => story.findIndex((l) => re.test(l));
    expect(at(/^report success/)).toBeGreaterThan(at(/upsert/));
    expect(at(/^report success/)).toBeGreaterThan(at(/instances/));
    expect(at(/^report success/)).toBeLessThan(at(/stop c1/));
    // Retiring is not reported as a step once the outcome is out.
    expect(story).not.toContain("report step reap");
  });

  it("ends only after blue is retired, and says when it served", async () => {
    const h = harness({ workload: { drain: "2s" } });
    await h.deploy(V1);
    const r = await h.deploy(V2);
    expect(r.steps.map((s) => s.name).slice(-3)).toEqual(["route", "persist", "reap"]);
    expect(h.docker.calls.slice(-2)).toEqual(["stop c1", "remove c1"]);
    // The 2 s drain comes after the success: served well before the deploy ended.
    expect(r.servedMs).not.toBeNull();
    expect(r.durationMs - r.servedMs!).toBeGreaterThanOrEqual(2000);
  });

  it("reports a failed deploy at the end, with no servedMs", async () => {
    const h = harness();
    await h.deploy(V1);
    h.docker.behaviour = (image) => (image.endsWith(V2) ? "unhealthy" : "healthy");
    const timeline: string[] = [];
    h.ctx.hooks = [onTimeline(timeline)];
    const r = await h.deploy(V2);
    expect(r).toMatchObject({ outcome: "failed", servedMs: null });
    expect(timeline.at(-1)).toBe("report failed");
  });
});

describe("retiring blue", () => {
  it("with stop_timeout 0s is one forced remove, no separate stop", async () => {
    const h = harness({ workload: { stop_timeout: "0s", drain: "0ms" } });
    await h.deploy(V1);
    const mark = h.docker.calls.length;
    await h.deploy(V2);
    expect(h.docker.calls.slice(mark).filter((c) => c.endsWith(" c1"))).toEqual(["remove c1"]);
  });
});

describe("an old container that ignores SIGTERM", () => {
  const warnings = (h: ReturnType<typeof harness>) =>
    h.events.filter((e) => e.level === "warn").map((e) => e.msg);

  it("blue-green says once that it was killed at stop_timeout, with the fix", async () => {
    const h = harness({ workload: { stop_timeout: "10s" } });
    await h.deploy(V1);
    h.docker.ignoresSigterm = true;
    await h.deploy(V2);
    expect(warnings(h)).toEqual([SIGTERM_FIX]);
  });

  it("recreate says so too", async () => {
    const h = harness({ workload: { stop_timeout: "10s", deploy_strategy: "recreate" } });
    await h.deploy(V1);
    h.docker.ignoresSigterm = true;
    await h.deploy(V2);
    expect(warnings(h)).toEqual([SIGTERM_FIX]);
  });

  it("is not mentioned when the app stops on SIGTERM", async () => {
    const h = harness({ workload: { stop_timeout: "10s" } });
    await h.deploy(V1);
    await h.deploy(V2);
    expect(warnings(h)).toEqual([]);
  });

  it("is not mentioned with stop_timeout 0s, which asks for the kill", async () => {
    const h = harness({ workload: { stop_timeout: "0s" } });
    await h.deploy(V1);
    h.docker.ignoresSigterm = true;
    await h.deploy(V2);
    expect(warnings(h)).toEqual([]);
  });
});
