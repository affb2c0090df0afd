// The preview sweep a webhook wakes waits a moment: it reads the default branch's config and
// connects to the hosts, which must not compete with that webhook's own way to its pending status.
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseBotConfig } from "../../../bot/config.js";
import { EVENT_SWEEP_DELAY_MS, PreviewSweep, type SweepDeps } from "../../../bot/forge/sweep.js";
import { silentLogger } from "../../../bot/forge/types.js";

afterEach(() => vi.useRealTimers());

function sweep() {
  const asked: string[] = [];
  let now = 0;
  const s = new PreviewSweep({
    config: parseBotConfig("projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n"),
    session: async (project: string) => {
      asked.push(project);
      throw new Error("no config here");
    },
    apis: {},
    clock: { now: () => now },
    log: silentLogger,
    intervalMs: 3600_000,
  } as unknown as SweepDeps);
  return { s, asked, advance: (ms: number) => (now += ms) };
}

describe("the preview sweep", () => {
  it("a webhook's sweep starts after EVENT_SWEEP_DELAY_MS, at most once a minute per project", async () => {
    vi.useFakeTimers();
    const { s, asked, advance } = sweep();
    s.onEvent("shop");
    s.onEvent("shop");
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(EVENT_SWEEP_DELAY_MS);
    expect(asked).toEqual(["shop"]);
    advance(30_000);
    s.onEvent("shop");
    await vi.advanceTimersByTimeAsync(EVENT_SWEEP_DELAY_MS);
    expect(asked).toEqual(["shop"]);
    advance(31_000);
    s.onEvent("shop");
    await vi.advanceTimersByTimeAsync(EVENT_SWEEP_DELAY_MS);
    expect(asked).toEqual(["shop", "shop"]);
  });

  it("a sweep still waiting when the bot stops never runs", async () => {
    vi.useFakeTimers();
    const { s, asked } = sweep();
    s.onEvent("shop");
    s.stop();
    await vi.advanceTimersByTimeAsync(EVENT_SWEEP_DELAY_MS * 2);
    expect(asked).toEqual([]);
  });
});
