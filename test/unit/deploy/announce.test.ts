// Observers told "pending" before the deploy: the engine sends nothing twice, keeps the order,
// and concludes them whatever the outcome, an unchanged SHA included.
import { afterEach, describe, expect, it } from "vitest";
import { announce } from "../../../src/deploy/announce.js";
import type { DeployHooks } from "../../../src/deploy/hooks.js";
import type { DeployInfo } from "../../../src/deploy/types.js";
import { disposeAll, harness, V1 } from "../../fakes/engine.js";

afterEach(disposeAll);

const info = (deployId: string): DeployInfo => ({
  deployId,
  project: "shop",
  workload: "web",
  stage: "production",
  tag: null,
  sha: V1,
  ref: null,
  strategy: "blue-green",
  host: "local",
});

/** A forge whose first answer (the pending) is slow. */
function slowForge(calls: string[]): DeployHooks {
  return {
    name: "forge",
    started: async () => {
      await new Promise((r) => setTimeout(r, 50));
      calls.push("pending");
    },
    step: async (_i, s) => void calls.push(`step ${s.name}`),
    finished: async (_i, r) => void calls.push(r.outcome),
  };
}

describe("an announced deploy", () => {
  it("sends pending once, at once, and everything after it in order however slow it is", async () => {
    const h = harness();
    const calls: string[] = [];
    h.ctx.hooks = announce([slowForge(calls)], info("01ANNOUNCED0000000000000000"));
    h.ctx.announced = true;
    const r = await h.deploy(V1, { deployId: "01ANNOUNCED0000000000000000" });
    expect(r.deployId).toBe("01ANNOUNCED0000000000000000");
    expect(calls[0]).toBe("pending");
    expect(calls.filter((c) => c === "pending")).toHaveLength(1);
    expect(calls.at(-1)).toBe("success");
  });

  it("an unchanged SHA still ends its pending, as a success", async () => {
    const h = harness();
    await h.deploy(V1);
    const calls: string[] = [];
    h.ctx.hooks = announce([slowForge(calls)], info("01ANNOUNCED0000000000000001"));
    h.ctx.announced = true;
    expect((await h.deploy(V1)).outcome).toBe("unchanged");
    expect(calls).toEqual(["pending", "step lock", "unchanged"]);
  });
});
