import { describe, expect, it } from "vitest";
import { KeyedQueue } from "../../../bot/queue.js";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("KeyedQueue", () => {
  it("runs one job per key at a time, in arrival order; other keys run alongside", async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const job = (key: string, name: string) => ({
      key,
      run: async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
      },
    });
    q.enqueue(job("web/production", "a"));
    q.enqueue(job("web/production", "b"));
    q.enqueue(job("web/staging", "c"));
    await q.whenIdle();
    expect(log.indexOf("end a")).toBeLessThan(log.indexOf("start b"));
    expect(log.indexOf("start c")).toBeLessThan(log.indexOf("end a"));
  });

  it("a superseding job replaces the waiting ones, never the running one", async () => {
    const q = new KeyedQueue();
    const ran: string[] = [];
    const superseded: string[] = [];
    const job = (name: string, supersedes = false) => ({
      key: "k",
      supersedes,
      run: async () => {
        await tick();
        ran.push(name);
      },
      superseded: () => superseded.push(name),
    });
    q.enqueue(job("push-1", true));
    q.enqueue(job("push-2", true));
    q.enqueue(job("push-3", true));
    await q.whenIdle();
    expect(ran).toEqual(["push-1", "push-3"]);
    expect(superseded).toEqual(["push-2"]);
  });

  it("a failing job does not stop the queue", async () => {
    const q = new KeyedQueue();
    const ran: string[] = [];
    q.enqueue({ key: "k", run: async () => Promise.reject(new Error("boom")) });
    q.enqueue({ key: "k", run: async () => void ran.push("next") });
    await q.whenIdle();
    expect(ran).toEqual(["next"]);
  });
});

describe("KeyedQueue: cancel-bake", () => {
  it("the running job hears of a job waiting behind it that ends bakes, until that job runs or is replaced", async () => {
    const q = new KeyedQueue();
    let release!: () => void;
    const heard: Array<string | undefined> = [];
    q.enqueue({ key: "k", run: () => new Promise<void>((r) => (release = r)) });
    heard.push(q.bakeCancelledBy("k"));
    q.enqueue({ key: "k", run: async () => {} });
    heard.push(q.bakeCancelledBy("k"));
    q.enqueue({
      key: "k",
      cancelsBake: "01CHAT",
      run: async () => void heard.push(`running: ${q.bakeCancelledBy("k")}`),
    });
    heard.push(q.bakeCancelledBy("k"), q.bakeCancelledBy("other"));
    release();
    await q.whenIdle();
    expect(heard).toEqual([undefined, undefined, "01CHAT", undefined, "running: undefined"]);

    // A newer push replaces it while it waits: it no longer asks.
    q.enqueue({ key: "k", run: () => new Promise<void>((r) => (release = r)) });
    q.enqueue({ key: "k", cancelsBake: "01CHAT2", run: async () => {} });
    q.enqueue({ key: "k", supersedes: true, run: async () => {} });
    expect(q.bakeCancelledBy("k")).toBeUndefined();
    release();
    await q.whenIdle();
  });
});
