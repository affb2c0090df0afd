// What the bot has accepted and not yet reported, on its own disk, so a restart loses nothing: an
// append-only JSON-lines journal. Each line is written (into the kernel: a killed process loses
// none, and they stay in order) as it happens; the fsync runs off the event loop, one for every
// line written before it started, and the webhook is answered once its trigger's is done. A trigger is
// `accepted`; each workload's deploy is `announced` (pending sent, its deploy id) and `started`
// (it may have touched the host); `done` when every outcome was reported. At start the journal is
// read back (a torn last line is skipped), rewritten with only what is still open, and handed to
// the caller to resume. Without a directory it keeps nothing (and says so once at start).
import {
  closeSync,
  existsSync,
  fsync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { ulid } from "ulid";
import type { CommentEvent, PullEvent, PushEvent } from "./forge/flows.js";
import type { ForgeName } from "./forge/types.js";

/** Where an accepted trigger came from: enough to run its flow again. */
export type Origin =
  | { forge: ForgeName; repo: string; event: "push"; push: PushEvent }
  | { forge: ForgeName; repo: string; event: "pull_request"; pull: PullEvent }
  | { forge: ForgeName; repo: string; event: "comment"; comment: CommentEvent };

export interface DeployMark {
  deployId: string;
  /** The engine was called: its record on the host says what became of it. */
  started: boolean;
}

export interface Accepted {
  id: string;
  at: string;
  origin: Origin;
  /** By workload: the deploy announced for it. */
  deploys: Record<string, DeployMark>;
}

type Line =
  | { op: "accept"; id: string; at: string; origin: Origin }
  | { op: "announce"; id: string; workload: string; deployId: string }
  | { op: "start"; id: string; workload: string; deployId: string }
  | { op: "done"; id: string };

const FILE = "accepted.jsonl";

export class Inbox {
  private readonly open = new Map<string, Accepted>();
  private fd?: number;
  /** Lines written since the last fsync started. */
  private dirty = false;
  /** The fsync under way, and the one queued after it for lines written since it started. */
  private syncing?: Promise<void>;
  private queued?: Promise<void>;

  private constructor(
    private readonly dir: string | undefined,
    /** What was still open when the bot stopped, oldest first. */
    readonly unfinished: Accepted[],
  ) {
    for (const a of unfinished) this.open.set(a.id, a);
  }

  /** Reads what the last run left open and starts a fresh journal with only that. */
  static load(dir: string | undefined): Inbox {
    if (!dir) return new Inbox(undefined, []);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, FILE);
    const open = existsSync(file) ? fold(readFileSync(file, "utf8")) : [];
    const inbox = new Inbox(dir, open);
    inbox.compact();
    return inbox;
  }

  get persistent(): boolean {
    return this.dir !== undefined;
  }

  /** How many triggers are accepted and not yet reported. */
  get size(): number {
    return this.open.size;
  }

  accept(origin: Origin): string {
    const a: Accepted = { id: ulid(), at: new Date().toISOString(), origin, deploys: {} };
    this.open.set(a.id, a);
    this.append({ op: "accept", id: a.id, at: a.at, origin });
    return a.id;
  }

  announced(id: string, workload: string, deployId: string): void {
    const a = this.open.get(id);
    if (!a) return;
    a.deploys[workload] = { deployId, started: false };
    this.append({ op: "announce", id, workload, deployId });
  }

  started(id: string, workload: string, deployId: string): void {
    const a = this.open.get(id);
    if (!a) return;
    a.deploys[workload] = { deployId, started: true };
    this.append({ op: "start", id, workload, deployId });
  }

  done(id: string): void {
    if (!this.open.delete(id)) return;
    this.append({ op: "done", id });
  }

  /**
   * Resolves once every line written so far is on disk (fsync): awaited before a webhook is
   * answered, so an accepted trigger survives a power cut too. Rejects when the fsync fails.
   */
  flushed(): Promise<void> {
    if (this.fd === undefined || !this.dirty) return this.queued ?? this.syncing ?? Promise.resolve();
    if (!this.syncing) return this.sync(this.fd);
    // Lines written after the running fsync started are not covered by it: one more, after it.
    this.queued ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.fd === undefined || !this.dirty ? undefined : this.sync(this.fd);
      });
    return this.queued;
  }

  /** Stops writing; the descriptor is closed once the fsyncs under way ended. */
  async close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return;
    await (this.queued ?? this.syncing)?.catch(() => undefined);
    closeSync(fd);
  }

  private sync(fd: number): Promise<void> {
    this.dirty = false;
    const p = new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
    this.syncing = p;
    const settle = () => {
      if (this.syncing === p) this.syncing = undefined;
    };
    p.then(settle, () => {
      settle();
      // Not on disk after all: the next flushed() tries again.
      this.dirty = true;
    });
    return p;
  }

  private append(line: Line): void {
    if (this.fd === undefined) return;
    // A plain write: in the kernel at once, so a crash of the process loses nothing and a deploy's
    // marks stay in order; flushed() makes them survive a power cut without blocking the loop.
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    this.dirty = true;
  }

  /** The journal rewritten with only the open triggers (temp file, fsync, rename). */
  private compact(): void {
    const dir = this.dir!;
    const file = join(dir, FILE);
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, "w", 0o600);
    for (const a of this.open.values()) {
      writeSync(fd, `${JSON.stringify({ op: "accept", id: a.id, at: a.at, origin: a.origin })}\n`);
      for (const [workload, m] of Object.entries(a.deploys))
        writeSync(
          fd,
          `${JSON.stringify({ op: m.started ? "start" : "announce", id: a.id, workload, deployId: m.deployId })}\n`,
        );
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
    this.fd = openSync(file, "a", 0o600);
  }
}

/** The journal's lines folded into the triggers still open, oldest first. */
export function fold(text: string): Accepted[] {
  const open = new Map<string, Accepted>();
  for (const raw of text.split("\n")) {
    if (!raw.trim()) continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      continue; // a line torn by a crash mid-write: it was never acknowledged
    }
    if (line.op === "accept")
      open.set(line.id, { id: line.id, at: line.at, origin: line.origin, deploys: {} });
    const a = open.get(line.id);
    if (!a) continue;
    if (line.op === "announce") a.deploys[line.workload] = { deployId: line.deployId, started: false };
    if (line.op === "start") a.deploys[line.workload] = { deployId: line.deployId, started: true };
    if (line.op === "done") open.delete(line.id);
  }
  return [...open.values()];
}
