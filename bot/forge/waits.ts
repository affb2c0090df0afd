// Deploys held until their commit's checks are green (stages.S.wait_for_checks): the push or pull
// request event that asked, kept by commit so a `status` / `check_run` / `check_suite` webhook for
// that commit (or the bot's timer) runs its flow again. A newer head of the same pull request or
// branch replaces the older one; a closed or unlabelled pull request drops its own. Bounded: the
// oldest wait is forgotten first (the timer and the next push still find the commit's state).
// With a file (the bot's state directory) the waits outlive a restart: a commit that turns green
// after the bot was restarted or upgraded still deploys by itself, and its comment is not written
// again. The file is rewritten whole (temp file, rename) on every change: a killed bot leaves the
// old or the new one, never half of one.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { errorMessage } from "../../src/errors.js";
import type { PullEvent, PushEvent } from "./flows.js";
import type { ForgeName } from "./types.js";

export type Waiting = { pull: PullEvent; push?: undefined } | { push: PushEvent; pull?: undefined };

interface Entry {
  forge: ForgeName;
  repo: string;
  sha: string;
  what: Waiting;
  /** The last note written for it (comment, status): an unchanged verdict writes nothing again. */
  note?: string;
}

const MAX = 1000;

/** The waits' file in the bot's state directory. */
export const WAITS_FILE = "waits.json";

export class Waits {
  /** By forge:repo:owner (pull number or branch): one wait per pull request and per branch. */
  private readonly byOwner = new Map<string, Entry>();

  /**
   * file: where the waits are kept across restarts; without one they live in memory only. A file
   * that cannot be read back is set aside (FILE.unreadable) with a warning: the bot starts with no
   * waits rather than not at all (a held commit then deploys with its branch's or PR's next push).
   * A file that cannot be written is warned about and the waits go on in memory.
   */
  constructor(
    private readonly file?: string,
    private readonly warn: (message: string) => void = () => {},
  ) {
    if (!file) return;
    try {
      for (const e of parseWaits(readFileSync(file, "utf8")))
        this.byOwner.set(this.key(e.forge, e.repo, e.what), e);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      renameSync(file, `${file}.unreadable`);
      warn(
        `${file}: deploys held for their checks cannot be read back (${errorMessage(err)}); set aside as ${file}.unreadable`,
      );
    }
  }

  private key(forge: ForgeName, repo: string, what: Waiting): string {
    const owner = what.pull ? `#${what.pull.number}` : `@${what.push!.ref}`;
    return `${forge}:${repo.toLowerCase()}:${owner}`;
  }

  /** Holds `what` until its commit's checks change; returns true when `note` is new for it. */
  hold(forge: ForgeName, repo: string, commit: string, what: Waiting, note: string): boolean {
    const sha = commit.toLowerCase();
    const key = this.key(forge, repo, what);
    const old = this.byOwner.get(key);
    const same = old?.sha === sha && old.note === note;
    this.byOwner.delete(key);
    this.byOwner.set(key, { forge, repo, sha, what, note });
    if (this.byOwner.size > MAX) this.byOwner.delete(this.byOwner.keys().next().value!);
    if (!same) this.save();
    return !same;
  }

  /** The pull request or branch deploys (or is gone): nothing of it waits any more. */
  drop(forge: ForgeName, repo: string, what: Waiting): void {
    if (this.byOwner.delete(this.key(forge, repo, what))) this.save();
  }

  /** Everything waiting for this commit of the repo. */
  at(forge: ForgeName, repo: string, sha: string): Waiting[] {
    const s = sha.toLowerCase();
    return [...this.byOwner.values()]
      .filter((e) => e.forge === forge && e.repo.toLowerCase() === repo.toLowerCase() && e.sha === s)
      .map((e) => e.what);
  }

  /** Every wait, for the timer's re-check. */
  all(): Array<{ forge: ForgeName; repo: string; sha: string; what: Waiting }> {
    return [...this.byOwner.values()];
  }

  get size(): number {
    return this.byOwner.size;
  }

  private save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify([...this.byOwner.values()])}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch (err) {
      this.warn(`${this.file}: deploys held for their checks are kept in memory only: ${errorMessage(err)}`);
    }
  }
}

/** A waits file read back: an entry of any other shape is an error, not a wait. */
export function parseWaits(text: string): Entry[] {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) throw new Error("not a list of waits");
  return data.map((e, i) => {
    if (!isEntry(e)) throw new Error(`wait ${i} is not a held push or pull request`);
    return e;
  });
}

function isEntry(e: unknown): e is Entry {
  if (typeof e !== "object" || e === null) return false;
  const x = e as Record<string, unknown>;
  if (x.forge !== "github" && x.forge !== "gitea") return false;
  if (typeof x.repo !== "string" || typeof x.sha !== "string") return false;
  if (x.note !== undefined && typeof x.note !== "string") return false;
  const what = x.what as Record<string, Record<string, unknown> | undefined> | null;
  if (typeof what !== "object" || what === null) return false;
  const { push, pull } = what;
  if (push)
    return (
      typeof push.ref === "string" && typeof push.after === "string" && typeof push.deleted === "boolean"
    );
  if (pull)
    return (
      Number.isInteger(pull.number) &&
      typeof pull.action === "string" &&
      typeof pull.headSha === "string" &&
      typeof pull.headRef === "string" &&
      (pull.headRepo === null || typeof pull.headRepo === "string") &&
      (pull.labels === undefined ||
        (Array.isArray(pull.labels) && pull.labels.every((l) => typeof l === "string"))) &&
      (pull.label === undefined || typeof pull.label === "string")
    );
  return false;
}
