// Pushes' pending statuses go out before deploys' work: a queued deploy opens its host only once
// no trigger is still on its way to its pending status and the status requests already begun are
// written to their sockets, and never later than a bound (a status request that hangs does not
// hold a deploy for long).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseBotConfig } from "../../../bot/config.js";
import { PendingFirst } from "../../../bot/pending-first.js";
import { KeyedQueue } from "../../../bot/queue.js";
import { BotRunner, type RepoSource, type Trigger } from "../../../bot/runner.js";
import type { HostPool } from "../../../src/adapters/ssh-pool.js";
import type { DeployHooks } from "../../../src/deploy/hooks.js";
import { requestsWritten, safeFetch } from "../../../src/net/fetch.js";

const SHA = "e".repeat(40);
const config = {
  project: "shop",
  stages: { production: { branch: "main" } },
  workloads: { web: { source: "image", image: "x:{sha}", port: 80 } },
};

/** A request's writing, as the test lets it end. */
function writes() {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const log: string[] = [];
  return {
    log,
    written: () => {
      log.push("written asked");
      return done;
    },
    finish: () => {
      log.push("written");
      finish();
    },
  };
}

function setup(pendingFirst: PendingFirst, events: string[]) {
  const source: RepoSource = {
    resolveRef: async () => SHA,
    readFile: async () => stringify(config),
    fetchTree: async () => {},
  };
  // Notes the host each deploy asks for, and has none: the deploy then fails, after its host work began.
  const pool = {
    acquire: async (entry: string) => {
      events.push(`open ${entry}`);
      throw new Error("no host here");
    },
  } as unknown as HostPool;
  const runner = new BotRunner({
    config: parseBotConfig(
      'projects:\n  shop:\n    repo: octo/shop\n    hosts: ["ssh://deploy@127.0.0.1:1"]\n',
    ),
    env: {},
    source: () => source,
    queue: new KeyedQueue(),
    pool,
    pendingFirst,
  });
  const hook: DeployHooks = {
    name: "rec",
    started: async () => void events.push("pending begun"),
  };
  const trigger = (arrived?: () => void): Trigger => ({
    project: "shop",
    sha: SHA,
    ref: "main",
    kind: "deploy",
    trigger: "push",
    hooks: [hook],
    ...(arrived ? { arrived } : {}),
  });
  return { runner, trigger };
}

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe("a queued deploy's host work", () => {
  it("waits until its pending and every pending begun are written, then opens the host", async () => {
    const events: string[] = [];
    const w = writes();
    const { runner, trigger } = setup(new PendingFirst({ written: w.written, boundMs: 60_000 }), events);
    const t = trigger(runner.setOut());
    const outcome = runner.submit(t, (await runner.prepare(t))!).catch(() => undefined);
    await turns();
    expect(events).toEqual(["pending begun"]);
    w.finish();
    await outcome;
    expect(events).toEqual(["pending begun", "open ssh://deploy@127.0.0.1:1"]);
    expect(w.log).toEqual(["written asked", "written"]);
  });

  it("waits for another push still on its way to its pending status, and for that pending's write", async () => {
    const events: string[] = [];
    const w = writes();
    const { runner, trigger } = setup(new PendingFirst({ written: w.written, boundMs: 60_000 }), events);
    // A second push was accepted and is still reading its config.
    const other = runner.setOut();
    const t = trigger(runner.setOut());
    const outcome = runner.submit(t, (await runner.prepare(t))!).catch(() => undefined);
    await turns();
    expect(w.log).toEqual([]);
    other();
    await turns();
    expect(w.log).toEqual(["written asked"]);
    expect(events).toEqual(["pending begun"]);
    w.finish();
    await outcome;
    expect(events).toEqual(["pending begun", "open ssh://deploy@127.0.0.1:1"]);
  });

  it("starts after the bound even when a pending request is never written", async () => {
    const events: string[] = [];
    const w = writes();
    const { runner, trigger } = setup(new PendingFirst({ written: w.written, boundMs: 30 }), events);
    const t = trigger(runner.setOut());
    await runner.submit(t, (await runner.prepare(t))!).catch(() => undefined);
    expect(events).toEqual(["pending begun", "open ssh://deploy@127.0.0.1:1"]);
    expect(w.log).toEqual(["written asked"]);
  });

  it("starts after the bound even when a trigger never says it arrived", async () => {
    const events: string[] = [];
    const { runner, trigger } = setup(new PendingFirst({ written: async () => {}, boundMs: 30 }), events);
    runner.setOut();
    const t = trigger();
    await runner.submit(t, (await runner.prepare(t))!).catch(() => undefined);
    expect(events).toEqual(["pending begun", "open ssh://deploy@127.0.0.1:1"]);
  });
});

describe("PendingFirst", () => {
  it("counts a trigger that arrives twice once", () => {
    const p = new PendingFirst();
    const a = p.setOut();
    p.setOut();
    a();
    a();
    expect(p.pending).toBe(1);
  });
});

describe("requestsWritten", () => {
  it("resolves once a request begun is handed whole to its socket, not before", async () => {
    // The server reads nothing until told: a body larger than the sockets' buffers stays unwritten.
    let held: IncomingMessage | undefined;
    const server = createServer((req, res) => {
      held = req;
      req.pause();
      req.on("end", () => res.end("ok"));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      const answer = safeFetch(`http://127.0.0.1:${port}/`, {
        method: "POST",
        body: "x".repeat(64 * 1024 * 1024),
      });
      let written = false;
      const all = requestsWritten().then(() => {
        written = true;
      });
      while (!held) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      expect(written).toBe(false);
      held.resume();
      await all;
      expect(written).toBe(true);
      expect((await answer).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it("resolves at once when nothing is being written", async () => {
    await requestsWritten();
  });
});
