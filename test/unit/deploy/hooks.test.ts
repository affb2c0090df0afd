// Observers (statuses, chat) hear of a deploy in order, never hear of an unchanged one, and can
// neither fail nor block it.
import { afterEach, describe, expect, it } from "vitest";
import type { DeployHooks } from "../../../src/deploy/hooks.js";
import { disposeAll, harness, imageOf, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

function recorder(
  calls: string[],
  behave: Partial<Record<"started" | "finished", "throw" | "hang">> = {},
): DeployHooks {
  const act = async (what: "started" | "finished", line: string) => {
    calls.push(line);
    if (behave[what] === "throw") throw new Error(`${what} exploded with token ghp_secret`);
    if (behave[what] === "hang") await new Promise(() => {});
  };
  return {
    name: "rec",
    started: (i) => act("started", `started ${i.sha.slice(0, 4)} ${i.strategy}`),
    step: async (_i, s) => {
      calls.push(`step ${s.name}`);
    },
    finished: (i, r) => act("finished", `finished ${i.sha.slice(0, 4)} ${r.outcome}`),
  };
}

describe("deploy hooks", () => {
  it("hear started, each step, then finished — in that order", async () => {
    const h = harness();
    const calls: string[] = [];
    h.ctx.hooks = [recorder(calls)];
    await h.deploy(V1);
    expect(calls).toEqual([
      "started 1111 blue-green",
      "step pull",
      "step create",
      "step start",
      "step gate",
      "step route",
      "step persist",
      "finished 1111 success",
    ]);
  });

  it("hear nothing of an unchanged SHA", async () => {
    const h = harness();
    await h.deploy(V1);
    const calls: string[] = [];
    h.ctx.hooks = [recorder(calls)];
    expect((await h.deploy(V1)).outcome).toBe("unchanged");
    expect(calls).toEqual([]);
  });

  it("hear a failure as finished/failed", async () => {
    const h = harness();
    await h.deploy(V1);
    h.docker.behaviour = (image) => (image === imageOf(V2) ? "unhealthy" : "healthy");
    const calls: string[] = [];
    h.ctx.hooks = [recorder(calls)];
    expect((await h.deploy(V2)).outcome).toBe("failed");
    expect(calls.at(0)).toBe("started 2222 blue-green");
    expect(calls.at(-1)).toBe("finished 2222 failed");
  });

  it("cannot fail a deploy: a throwing hook is a warning, the deploy succeeds", async () => {
    const h = harness();
    const calls: string[] = [];
    h.ctx.hooks = [recorder(calls, { started: "throw", finished: "throw" })];
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("success");
    expect(h.events.filter((e) => e.step === "report" && e.level === "warn").map((e) => e.msg)).toEqual([
      "rec: started exploded with token ghp_secret",
      "rec: finished exploded with token ghp_secret",
    ]);
  });

  it("cannot block a deploy: a hanging hook is cut off at its timeout", async () => {
    const h = harness();
    h.ctx.hookTimeoutMs = 50;
    const calls: string[] = [];
    h.ctx.hooks = [recorder(calls, { started: "hang", finished: "hang" })];
    const t0 = Date.now();
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("success");
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(h.events.some((e) => e.step === "report" && e.msg.includes("no answer within 50ms"))).toBe(true);
  });
});

describe("hook queues", () => {
  it("a hanging hook does not hold up another hook's calls", async () => {
    const h = harness();
    h.ctx.hookTimeoutMs = 400;
    const fast: number[] = [];
    const t0 = Date.now();
    h.ctx.hooks = [
      { name: "hangs", started: () => new Promise(() => {}), finished: () => new Promise(() => {}) },
      {
        name: "fast",
        started: async () => {
          fast.push(Date.now() - t0);
        },
        finished: async () => {
          fast.push(Date.now() - t0);
        },
      },
    ];
    await h.deploy(V1);
    // The fast hook's "started" ran at once, not after the hanging one's 400 ms timeout.
    expect(fast[0]).toBeLessThan(300);
    expect(fast).toHaveLength(2);
  });
});
