// The bot's inbox: what it accepted survives a restart until it is reported, a line torn by a
// crash is skipped, and the journal read back at start keeps only what is still open.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it, vi } from "vitest";
import { giteaSignature } from "../../../bot/gitea/verify.js";
import { githubSignature } from "../../../bot/github/verify.js";
import { Inbox } from "../../../bot/inbox.js";
import { startBot } from "../../../bot/main.js";

// The journal's fsyncs, held until a test lets them finish (by default they run at once).
const fsyncs = vi.hoisted(() => ({ hold: false, held: [] as Array<(e?: Error) => void> }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const fsync = (fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
    if (!fsyncs.hold) return fs.fsync(fd, cb);
    fsyncs.held.push((e) => (e ? cb(e) : fs.fsync(fd, cb)));
  };
  return { ...fs, default: { ...fs, fsync }, fsync };
});

const push = (after: string) =>
  ({
    forge: "github",
    repo: "octo/shop",
    event: "push",
    push: { ref: "refs/heads/main", after, deleted: false },
  }) as const;

describe("the bot's inbox", () => {
  it("hands back what was accepted and not done, with each workload's deploy and whether it started", () => {
    const dir = mkdtempSync(join(tmpdir(), "tf-inbox-"));
    const a = Inbox.load(dir);
    const done = a.accept(push("a".repeat(40)));
    const running = a.accept(push("b".repeat(40)));
    const queued = a.accept(push("c".repeat(40)));
    a.announced(running, "web", "D1");
    a.started(running, "web", "D1");
    a.announced(queued, "web", "D2");
    a.done(done);
    a.close(); // the process dies here: nothing more is written

    const b = Inbox.load(dir);
    expect(b.unfinished.map((x) => [x.id, x.deploys])).toEqual([
      [running, { web: { deployId: "D1", started: true } }],
      [queued, { web: { deployId: "D2", started: false } }],
    ]);
    expect(b.size).toBe(2);
    b.done(running);
    b.done(queued);
    b.close();
    expect(Inbox.load(dir).unfinished).toEqual([]);
  });

  it("skips a line torn by a crash mid-write", () => {
    const dir = mkdtempSync(join(tmpdir(), "tf-inbox-"));
    const a = Inbox.load(dir);
    const id = a.accept(push("d".repeat(40)));
    a.close();
    appendFileSync(join(dir, "accepted.jsonl"), '{"op":"done","id":"');
    const b = Inbox.load(dir);
    expect(b.unfinished.map((x) => x.id)).toEqual([id]);
    // Read back and rewritten: only whole lines remain.
    expect(readFileSync(join(dir, "accepted.jsonl"), "utf8").trim().split("\n")).toHaveLength(1);
    b.close();
  });

  it("keeps nothing without a directory", () => {
    const inbox = Inbox.load(undefined);
    inbox.accept(push("e".repeat(40)));
    expect(inbox.persistent).toBe(false);
    expect(inbox.size).toBe(1);
  });

  it("writes each line at once and answers a burst with one fsync off the event loop, another for lines after it started", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tf-inbox-"));
    const a = Inbox.load(dir);
    fsyncs.hold = true;
    try {
      const settled: string[] = [];
      const first = a.accept(push("f".repeat(40)));
      const p1 = a.flushed().then(() => settled.push("first"));
      a.accept(push("1".repeat(40)));
      a.accept(push("2".repeat(40)));
      const p2 = a.flushed().then(() => settled.push("second"));
      const p3 = a.flushed().then(() => settled.push("third"));
      // In the file already (a killed process loses none), not yet fsynced: nobody answered.
      expect(readFileSync(join(dir, "accepted.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);
      await new Promise((r) => setTimeout(r, 10));
      expect(fsyncs.held).toHaveLength(1);
      expect(settled).toEqual([]);

      fsyncs.held.shift()!();
      await p1;
      expect(settled).toEqual(["first"]);
      // The two written while the first fsync ran: one more covers both.
      await new Promise((r) => setTimeout(r, 10));
      expect(fsyncs.held).toHaveLength(1);
      fsyncs.held.shift()!();
      await Promise.all([p2, p3]);
      expect(settled).toEqual(["first", "second", "third"]);

      // A failed fsync is not an answer: flushed() rejects, and the next one tries again.
      a.done(first);
      const failed = a.flushed();
      await new Promise((r) => setTimeout(r, 10));
      fsyncs.held.shift()!(Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" }));
      await expect(failed).rejects.toThrow(/EIO/);
      const retried = a.flushed();
      await new Promise((r) => setTimeout(r, 10));
      expect(fsyncs.held).toHaveLength(1);
      fsyncs.held.shift()!();
      await retried;
    } finally {
      fsyncs.hold = false;
      for (const release of fsyncs.held.splice(0)) release();
      await a.close();
    }
  });
});

describe("a push webhook", () => {
  const SECRET = "whsec-inbox";
  const keys = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const config = (forge: string) => {
    const file = join(mkdtempSync(join(tmpdir(), "tf-inbox-bot-")), "bot.yml");
    writeFileSync(
      file,
      stringify({ projects: { shop: { forge, repo: "octo/shop", hosts: ["ssh://deploy@127.0.0.1:9"] } } }),
    );
    return file;
  };
  const forges = {
    github: {
      env: {
        APP_ID: "1",
        PRIVATE_KEY: keys.privateKey,
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: "127.0.0.1:9",
        GHE_PROTOCOL: "http",
      },
      path: "/api/github/webhooks",
      headers: (body: string) => ({
        "x-github-event": "push",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": githubSignature(SECRET, body),
      }),
      payload: {
        repository: { id: 1, name: "shop", full_name: "octo/shop", owner: { login: "octo" } },
        installation: { id: 2 },
        sender: { login: "alice", type: "User" },
      },
    },
    gitea: {
      env: { GITEA_URL: "http://127.0.0.1:9", GITEA_TOKEN: "t", GITEA_WEBHOOK_SECRET: SECRET },
      path: "/api/gitea/webhooks",
      headers: (body: string) => ({
        "x-gitea-event": "push",
        "x-gitea-delivery": randomUUID(),
        "x-gitea-signature": giteaSignature(SECRET, body),
      }),
      payload: { repository: { full_name: "octo/shop" } },
    },
  };

  it.each(Object.keys(forges) as Array<keyof typeof forges>)(
    "from %s is answered only once its trigger is fsynced",
    async (forge) => {
      const f = forges[forge];
      const bot = await startBot(
        {
          PORT: "0",
          HOST: "127.0.0.1",
          ...f.env,
          TINYFORGE_BOT_CONFIG: config(forge),
          TINYFORGE_BOT_STATE_DIR: mkdtempSync(join(tmpdir(), "tf-inbox-state-")),
        },
        { log: { info() {}, warn() {}, error() {} } },
      );
      fsyncs.hold = true;
      try {
        const body = JSON.stringify({
          ref: "refs/heads/main",
          after: "a".repeat(40),
          deleted: false,
          ...f.payload,
        });
        let answered = false;
        const res = fetch(`${bot.url}${f.path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...f.headers(body) },
          body,
        }).then((r) => {
          answered = true;
          return r;
        });
        const deadline = Date.now() + 3_000;
        while (fsyncs.held.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        expect(fsyncs.held).toHaveLength(1);
        await new Promise((r) => setTimeout(r, 50));
        expect(answered).toBe(false);
        fsyncs.held.shift()!();
        expect((await res).status).toBe(200);
      } finally {
        fsyncs.hold = false;
        for (const release of fsyncs.held.splice(0)) release();
        // Its deploy cannot reach the forge (port 9): not waited for.
        await bot.close();
      }
    },
  );
});
