// The bot's "pending" goes out as soon as the config at the SHA is read and valid: before SSH,
// before a deploy of the same workload+stage ahead in the queue ends, before the lock. A deploy
// announced that way always ends with an outcome, even when it never reached a host.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseBotConfig } from "../../../bot/config.js";
import { KeyedQueue } from "../../../bot/queue.js";
import { BotRunner, type RepoSource, type Trigger } from "../../../bot/runner.js";
import type { HostPool } from "../../../src/adapters/ssh-pool.js";
import type { DeployHooks } from "../../../src/deploy/hooks.js";

const SHA = "c".repeat(40);
const config = {
  project: "shop",
  stages: { production: { branch: "main" } },
  workloads: { web: { source: "image", image: "x:{sha}", port: 80 } },
};

function setup(opts: { pool?: HostPool } = {}) {
  const source: RepoSource = {
    resolveRef: async () => SHA,
    readFile: async () => stringify(config),
    fetchTree: async () => {},
  };
  const queue = new KeyedQueue();
  const runner = new BotRunner({
    // The operator's hosts: nothing listens on port 1, and there is no SSH key.
    config: parseBotConfig(
      'projects:\n  shop:\n    repo: octo/shop\n    hosts: ["ssh://deploy@127.0.0.1:1"]\n',
    ),
    env: {},
    source: () => source,
    queue,
    ...(opts.pool ? { pool: opts.pool } : {}),
  });
  const heard: string[] = opts.pool ? opened : [];
  const hook: DeployHooks = {
    name: "rec",
    started: async (i) => void heard.push(`pending ${i.sha.slice(0, 4)} ${i.deployId.length}`),
    finished: async (_i, r) =>
      void heard.push(`${r.outcome}${r.error ? ` (${r.error.code}): ${r.error.message}` : ""}`),
  };
  const trigger = (over: Partial<Trigger> = {}): Trigger => ({
    project: "shop",
    sha: SHA,
    ref: "main",
    kind: "deploy",
    trigger: "push",
    supersedes: true,
    hooks: [hook],
    ...over,
  });
  /** Holds the workload+stage's queue until the returned function is called. */
  const occupy = () => {
    let release!: () => void;
    queue.enqueue({ key: "shop/web/production", run: () => new Promise<void>((r) => (release = r)) });
    return () => release();
  };
  return { runner, heard, trigger, occupy };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

/** What the hooks and the host pool heard, in order. */
const opened: string[] = [];
/** A pool that notes each host it is asked for and has none (the deploy then fails). */
const notingPool = {
  acquire: async (entry: string) => {
    opened.push(`open ${entry}`);
    throw new Error("no host here");
  },
} as unknown as HostPool;

describe("the bot's pending status", () => {
  it("is sent while a deploy of the same workload+stage still runs, before any host is opened", async () => {
    const { runner, heard, trigger, occupy } = setup();
    const release = occupy();
    const prepared = (await runner.prepare(trigger()))!;
    const outcome = runner.submit(trigger(), prepared);
    await tick();
    expect(heard).toEqual(["pending cccc 26"]);
    release();
    await expect(outcome).rejects.toMatchObject({ code: "usage" });
  });

  it("is on its way before the deploy opens its host (the deploy's SSH waits a turn for it)", async () => {
    opened.length = 0;
    const { runner, heard, trigger } = setup({ pool: notingPool });
    const hook: DeployHooks = {
      name: "sync",
      started: () => {
        heard.push("pending sent");
        return Promise.resolve();
      },
    };
    const t = trigger({ hooks: [hook] });
    await runner.submit(t, (await runner.prepare(t))!).catch(() => undefined);
    expect(heard.slice(0, 2)).toEqual(["pending sent", "open ssh://deploy@127.0.0.1:1"]);
  });

  it("ends as a failure saying why when no host could be opened", async () => {
    const { runner, heard, trigger } = setup();
    const prepared = (await runner.prepare(trigger()))!;
    await expect(runner.submit(trigger(), prepared)).rejects.toThrow(/no SSH key/);
    await tick();
    expect(heard).toEqual(["pending cccc 26", "failed (usage): ssh://deploy@127.0.0.1:1: no SSH key"]);
  });

  it("ends as superseded, not as a failure, when a newer push replaced it in the queue", async () => {
    const { runner, heard, trigger, occupy } = setup();
    const release = occupy();
    const first = runner.submit(trigger(), (await runner.prepare(trigger()))!);
    const newer = runner.submit(trigger(), (await runner.prepare(trigger()))!);
    expect((await first)[0]).toMatchObject({ outcome: "superseded" });
    await tick();
    expect(heard.slice(0, 3)).toEqual(["pending cccc 26", "pending cccc 26", "superseded"]);
    release();
    await newer.catch(() => undefined);
  });
});
