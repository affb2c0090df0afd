// Deploys held until their commit's checks are green (stages.S.wait_for_checks): the push or pull
// request event that asked, kept by commit so a `status` / `check_run` / `check_suite` webhook for
// that commit (or the bot's timer) runs its flow again. A newer head of the same pull request or
// branch replaces the older one; a closed or unlabelled pull request drops its own. Bounded: the
// oldest wait is forgotten first (the timer and the next push still find the commit's state).
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

export class Waits {
  /** By forge:repo:owner (pull number or branch): one wait per pull request and per branch. */
  private readonly byOwner = new Map<string, Entry>();

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
    return !same;
  }

  /** The pull request or branch deploys (or is gone): nothing of it waits any more. */
  drop(forge: ForgeName, repo: string, what: Waiting): void {
    this.byOwner.delete(this.key(forge, repo, what));
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
}
