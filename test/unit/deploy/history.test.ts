// Reading a deploy back: "still running" means its deploy holds the lock now — the lease of the
// highest generation, in numeric order (gen-10 is newer than gen-9).
import { afterEach, describe, expect, it } from "vitest";
import { stillRunning } from "../../../src/deploy/history.js";
import type { Lease } from "../../../src/deploy/lock.js";
import type { DeployRecord } from "../../../src/state/model.js";
import { disposeAll, harness, V1 } from "../../fakes/engine.js";

afterEach(disposeAll);

const LOCK_DIR = ".tinyforge/shop/locks/web.production";

function lease(deployId: string, alive: boolean): string {
  const l: Lease = {
    owner: "ci@runner",
    deployId,
    acquiredAt: new Date().toISOString(),
    expiresAt: alive ? Date.now() + 30_000 : Date.now() - 60_000,
    ttlMs: 30_000,
    beat: 3,
  };
  return JSON.stringify(l);
}

function running(deployId: string): DeployRecord {
  return {
    deployId,
    project: "shop",
    workload: "web",
    stage: "production",
    sha: V1,
    strategy: "blue-green",
    host: "fake",
    outcome: "running",
    startedAt: new Date().toISOString(),
    steps: [],
  };
}

describe("stillRunning", () => {
  it("reads the lease of the highest generation: gen-10 over gen-9", async () => {
    const h = harness();
    await h.host.files.writeAtomic(`${LOCK_DIR}/gen-9.json`, lease("01OLDOLDOLDOLDOLDOLDOLDOLD", true));
    await h.host.files.writeAtomic(`${LOCK_DIR}/gen-10.json`, lease("01NEWNEWNEWNEWNEWNEWNEWNEW", true));
    expect(await stillRunning(h.store, running("01NEWNEWNEWNEWNEWNEWNEWNEW"))).toBe(true);
    expect(await stillRunning(h.store, running("01OLDOLDOLDOLDOLDOLDOLDOLD"))).toBe(false);
  });

  it("a lease that stopped beating long ago is a dead holder's", async () => {
    const h = harness();
    await h.host.files.writeAtomic(`${LOCK_DIR}/gen-1.json`, lease("01DEADDEADDEADDEADDEADDEAD", false));
    expect(await stillRunning(h.store, running("01DEADDEADDEADDEADDEADDEAD"))).toBe(false);
  });

  it("a deploy with an outcome is not running, whatever the lock says", async () => {
    const h = harness();
    await h.host.files.writeAtomic(`${LOCK_DIR}/gen-1.json`, lease("01DONEDONEDONEDONEDONEDONE", true));
    const rec = { ...running("01DONEDONEDONEDONEDONEDONE"), outcome: "success" as const };
    expect(await stillRunning(h.store, rec)).toBe(false);
  });
});
