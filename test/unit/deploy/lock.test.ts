import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { TinyforgeError } from "../../../src/errors.js";
import { systemClock } from "../../../src/ports/clock.js";
import { disposeAll, type HarnessOptions, harness, imageOf, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

const LOCK_DIR = ".tinyforge/shop/locks/web.production";
// Real time where two deployers meet: the lease heartbeats on real timers.
const REAL: HarnessOptions = { clock: systemClock, lockTtlMs: 1000, workload: { drain: "0ms" } };

/** Deploy A of V1, stopped inside its pull (lock held) until `release()`. */
async function holderInPull(o: HarnessOptions = {}) {
  const a = harness({ ...REAL, owner: "ci@runner-A", ...o });
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let entered!: () => void;
  const inPull = new Promise<void>((r) => {
    entered = r;
  });
  a.docker.beforeCall = async (call) => {
    if (call === `pull ${imageOf(V1)}`) {
      entered();
      await held;
    }
  };
  const done = a.deploy(V1, { deployId: "01DEPLOYAAAAAAAAAAAAAAAAAA" });
  await inPull;
  return { a, done, release };
}

function lease(over: Record<string, unknown>): string {
  return JSON.stringify({
    owner: "ghost@gone",
    deployId: "01GHOST",
    acquiredAt: "2024-12-31T00:00:00.000Z",
    beat: 3,
    ...over,
  });
}

describe("deploy lock", () => {
  it("serializes two deploys of one workload+stage: the second waits, then runs after", async () => {
    const { a, done, release } = await holderInPull();
    const b = harness({ ...REAL, host: a.host, proxy: a.proxy, owner: "ci@runner-B" });
    const second = b.deploy(V2);
    await sleep(150);
    expect(a.docker.calls).toEqual([`pull ${imageOf(V1)}`]);
    release();
    const [ra, rb] = await Promise.all([done, second]);

    expect([ra.outcome, rb.outcome]).toEqual(["success", "success"]);
    expect(a.docker.calls).toEqual([
      `pull ${imageOf(V1)}`,
      `create ${ra.container}`,
      "start c1",
      `pull ${imageOf(V2)}`,
      `create ${rb.container}`,
      "start c2",
      "stop c1",
      "remove c1",
    ]);
    expect(b.events).toContainEqual(
      expect.objectContaining({
        level: "warn",
        step: "lock",
        msg: `waiting for ci@runner-A (deploy ${ra.deployId})`,
      }),
    );
    expect(rb.previous).toBe(ra.container);
    expect(await a.host.files.list(LOCK_DIR)).toEqual([]);
  });

  it("with a short lock_timeout the second fails with lock_held naming the holder, touching nothing", async () => {
    const { a, done, release } = await holderInPull();
    const b = harness({
      ...REAL,
      host: a.host,
      proxy: a.proxy,
      owner: "ci@runner-B",
      config: { lock_timeout: "200ms" },
    });

    const err = await b.deploy(V2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TinyforgeError);
    expect(err).toMatchObject({ code: "lock_held", exitCode: 3 });
    expect((err as Error).message).toContain("ci@runner-A, deploy 01DEPLOYAAAAAAAAAAAAAAAAAA");
    expect(a.docker.calls).toEqual([`pull ${imageOf(V1)}`]);

    release();
    expect((await done).outcome).toBe("success");
    expect(a.docker.calls.some((c) => c.includes(V2))).toBe(false);
  });

  it("locks per workload+stage: another stage deploys while the first is held", async () => {
    const stages = { production: { branch: "main" }, staging: {} };
    const { a, done, release } = await holderInPull({ config: { stages } });
    const b = harness({
      ...REAL,
      host: a.host,
      owner: "ci@runner-B",
      config: { stages, lock_timeout: "0ms" },
    });
    const rb = await b.deploy(V2, { stage: "staging" });
    expect(rb.outcome).toBe("success");
    release();
    await done;
  });

  it("a deploy whose lease was taken over stops before its next step and removes its green", async () => {
    const h = harness({ ...REAL, lockTtlMs: 150 });
    await h.deploy(V1);
    h.docker.beforeCall = async (call) => {
      if (call !== "start c2") return;
      await h.host.files.createExclusive(
        `${LOCK_DIR}/gen-99.json`,
        lease({ expiresAt: Date.now() + 60_000, ttlMs: 60_000 }),
      );
      await sleep(120); // two heartbeats: the holder sees a newer generation than its own
    };
    const r = await h.deploy(V2);

    expect(r.error?.code).toBe("lock_lost");
    expect(r.steps.map((s) => s.name)).toEqual(["lock", "pull", "create", "start"]);
    expect([...h.docker.containers.keys()]).toEqual(["c1"]);
    expect((await h.state())?.active?.sha).toBe(V1);
  });

  it("a stale lease (expired, by its own clock) does not block, and is cleaned up", async () => {
    const h = harness({ config: { lock_timeout: "0ms" } });
    await h.host.files.writeAtomic(
      `${LOCK_DIR}/gen-7.json`,
      lease({ expiresAt: h.clock.now() - 600_000, ttlMs: 30_000 }),
    );
    const r = await h.deploy(V1);

    expect(r.outcome).toBe("success");
    expect(h.timeline).toContain(`files create ${LOCK_DIR}/gen-8.json`);
    expect(h.events.some((e) => e.step === "lock" && e.level === "warn")).toBe(false);
    expect(await h.host.files.list(LOCK_DIR)).toEqual([]);
  });

  it("a lease whose beat stops moving for its ttl is stale even if its expiry is in the future (clock skew)", async () => {
    const h = harness();
    const t0 = h.clock.now();
    await h.host.files.writeAtomic(
      `${LOCK_DIR}/gen-2.json`,
      lease({ expiresAt: t0 + 3_600_000, ttlMs: 5_000 }),
    );
    const r = await h.deploy(V1);

    expect(r.outcome).toBe("success");
    expect(h.events).toContainEqual(
      expect.objectContaining({ step: "lock", msg: "waiting for ghost@gone (deploy 01GHOST)" }),
    );
    expect(r.steps[0]).toMatchObject({ name: "lock", ok: true });
    expect(r.steps[0]!.ms).toBeGreaterThanOrEqual(5_000);
    expect(r.steps[0]!.ms).toBeLessThan(60_000);
  });

  it("a live lease written by another machine blocks until lock_timeout", async () => {
    const h = harness({ config: { lock_timeout: "3s" } });
    await h.host.files.writeAtomic(
      `${LOCK_DIR}/gen-1.json`,
      lease({ expiresAt: h.clock.now() + 60_000, ttlMs: 60_000 }),
    );
    await expect(h.deploy(V1)).rejects.toMatchObject({
      code: "lock_held",
      message: expect.stringContaining("ghost@gone"),
    });
    expect(h.docker.calls).toEqual([]);
  });

  it("is released after a failed deploy: the next one gets it at once", async () => {
    const h = harness({ config: { lock_timeout: "0ms" } });
    h.docker.behaviour = (image) => (image === imageOf(V1) ? "unhealthy" : "healthy");
    const failed = await h.deploy(V1);
    expect(failed.outcome).toBe("failed");
    expect(await h.host.files.list(LOCK_DIR)).toEqual([]);

    const next = await h.deploy(V2);
    expect(next.outcome).toBe("success");
    expect(next.steps[0]).toEqual({ name: "lock", ms: 0, ok: true });
  });
});
