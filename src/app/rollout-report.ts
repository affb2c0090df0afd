// One rollout over several hosts is one deploy to the people watching it: one commit status, one
// Slack message, one PR comment. Each host's deploy talks to its own view of the reporters; the
// views say "started" once, pass each host's steps on under the host's name, and say the outcome
// once, when every host has one: the worst of them (a failure anywhere is the rollout's failure).
import type { DeployHooks } from "../deploy/hooks.js";
import type { DeployInfo, DeployResult } from "../deploy/types.js";
import type { StepRecord } from "../state/model.js";

// A superseded result never comes from a host (only the bot's queue makes one); ranked with unchanged.
const RANK: Record<DeployResult["outcome"], number> = { failed: 2, success: 1, unchanged: 0, superseded: 0 };

export class RolloutReport {
  private readonly results = new Map<string, DeployResult>();
  /** Hosts whose deploy ended without an outcome to report (it never started, or it threw). */
  private readonly silent = new Set<string>();
  private readonly began = new Set<DeployHooks>();
  private readonly told = new Set<DeployHooks>();
  // One queue per reporter across all hosts: it hears its calls in order, never two at once.
  private readonly tails = new Map<DeployHooks, Promise<void>>();
  private lastInfo?: DeployInfo;
  /** Each host entry's name (as the deploys call their host), once it was opened. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly hooks: readonly DeployHooks[],
    private readonly hosts: readonly string[],
  ) {}

  /** The reporters as one host's deploy sees them. */
  viewFor(host: string, name: string): DeployHooks[] {
    this.names.set(host, name);
    if (this.hosts.length < 2) return [...this.hooks];
    return this.hooks.map((h) => ({
      name: h.name,
      ...(h.notice ? { notice: h.notice } : {}),
      started: (info: DeployInfo) => {
        this.lastInfo = info;
        if (this.began.has(h)) return Promise.resolve();
        this.began.add(h);
        return this.queue(h, () => h.started?.(this.whole(info)));
      },
      step: (info: DeployInfo, step: StepRecord) =>
        this.queue(h, () => h.step?.(this.whole(info), named(name, step))),
      finished: (info: DeployInfo, result: DeployResult) => {
        this.lastInfo = info;
        this.results.set(host, result);
        return this.maybeFinish(h);
      },
    }));
  }

  /** A host's deploy is over: if it never reported an outcome, the rollout does not wait for one. */
  async settled(host: string): Promise<void> {
    if (!this.results.has(host)) this.silent.add(host);
    let timer: NodeJS.Timeout | undefined;
    // Bounded like every reporter call: a hanging forge never holds up the rollout's end.
    const bound = new Promise<void>((r) => {
      timer = setTimeout(r, 20_000);
    });
    await Promise.race([
      Promise.all(this.hooks.map((h) => this.maybeFinish(h).catch(() => undefined))),
      bound,
    ]);
    clearTimeout(timer);
  }

  private maybeFinish(h: DeployHooks): Promise<void> {
    if (this.told.has(h) || !this.began.has(h) || !this.lastInfo) return Promise.resolve();
    if (!this.hosts.every((x) => this.results.has(x) || this.silent.has(x))) return Promise.resolve();
    this.told.add(h);
    const info = this.whole(this.lastInfo);
    const whole = this.outcome();
    return this.queue(h, () => h.finished?.(info, whole));
  }

  /** The worst host's result stands for the rollout. */
  private outcome(): DeployResult {
    const results = [...this.results.values()];
    const worst = results.reduce((a, b) => (RANK[b.outcome] > RANK[a.outcome] ? b : a));
    const whole: DeployResult = { ...worst, host: this.allNames() };
    // A host that ended without an outcome (lock held, unreachable) failed the rollout too.
    if (this.silent.size > 0 && whole.outcome !== "failed")
      return {
        ...whole,
        outcome: "failed",
        error: { code: "deploy_failed", message: `no outcome from ${[...this.silent].join(", ")}` },
      };
    return whole;
  }

  private whole(info: DeployInfo): DeployInfo {
    return { ...info, host: this.allNames() };
  }

  private allNames(): string {
    return this.hosts.map((h) => this.names.get(h) ?? h).join(", ");
  }

  private queue(h: DeployHooks, call: () => Promise<void> | undefined): Promise<void> {
    const next = (this.tails.get(h) ?? Promise.resolve()).then(call);
    this.tails.set(
      h,
      next.catch(() => undefined),
    );
    return next;
  }
}

function named(host: string, step: StepRecord): StepRecord {
  return { ...step, name: `${host}: ${step.name}` };
}
