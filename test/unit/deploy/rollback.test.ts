import { describe, expect, it } from "vitest";
import { rollbackTarget } from "../../../src/deploy/rollback.js";
import type { InstanceState, Release } from "../../../src/state/model.js";

const release = (n: number, extra: Partial<Release> = {}): Release => ({
  deployId: `01J0000000000000000000000${n}`,
  sha: `${n}`.repeat(40),
  image: `img:${n}`,
  container: `c${n}`,
  containerId: `id${n}`,
  strategy: "blue-green",
  deployedAt: `2026-12-01T10:0${n}:00.000Z`,
  ...extra,
});

const state = (active: Release | undefined, previous: Release[]): InstanceState => ({
  key: "web.production",
  project: "shop",
  workload: "web",
  stage: "production",
  ...(active ? { active } : {}),
  previous,
  updatedAt: "2026-12-01T10:00:00.000Z",
});

const req = { workload: "web", stage: "production" };

describe("rollbackTarget", () => {
  it("goes to the release deployed before the serving one", () => {
    expect(rollbackTarget(state(release(3), [release(2), release(1)]), req).sha).toBe("2".repeat(40));
  });

  it("walks back after a rollback instead of toggling: the re-activated release keeps its origin", () => {
    // v3 → v2 rolled back: v2 serves again (a new deploy id, origin = v2's first deploy), v3 is kept.
    const v2again = release(2, { deployId: "01J0000000000000000000000X", origin: release(2).deployId });
    expect(rollbackTarget(state(v2again, [release(3), release(1)]), req).sha).toBe("1".repeat(40));
  });

  it("--to takes a deploy id or a SHA prefix of a kept release", () => {
    const s = state(release(3), [release(2), release(1)]);
    expect(rollbackTarget(s, { ...req, to: release(1).deployId }).sha).toBe("1".repeat(40));
    expect(rollbackTarget(s, { ...req, to: "2222222" }).sha).toBe("2".repeat(40));
  });

  it("refuses a release that is not kept, or nothing older, naming the kept ones", () => {
    const s = state(release(3), [release(2)]);
    expect(() => rollbackTarget(s, { ...req, to: "1111111" })).toThrow(/1111111 is not a kept release/);
    try {
      rollbackTarget(s, { ...req, to: "1111111" });
    } catch (e) {
      expect((e as { details: string[] }).details).toEqual([
        `kept: ${release(2).deployId} (222222222222, 2026-12-01 10:02)`,
      ]);
    }
    expect(() => rollbackTarget(state(release(1), [release(2)]), req)).toThrow(
      /no kept release older than the serving one/,
    );
    expect(() => rollbackTarget(state(undefined, []), req)).toThrow(/nothing serves web in production/);
    expect(() => rollbackTarget(s, { ...req, to: "3333333" })).toThrow(/already serves/);
  });
});
