// The bot's inbox: what it accepted survives a restart until it is reported, a line torn by a
// crash is skipped, and the journal read back at start keeps only what is still open.
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Inbox } from "../../../bot/inbox.js";

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
});
