// Observers of a deploy (commit statuses, chat messages, webhooks). Best-effort by contract: a
// hook that throws or hangs is a warning in the events, never a failed or blocked deploy. Each hook
// has its own queue: its calls run in order ("pending" always lands before "success"), and a
// hanging forge does not hold up the Slack message. The outcome is reported once: at the swap for
// a success (nobody waits for the old release to be retired to learn it; with a bake, once the bake
// held), at the end otherwise.
import { errorMessage } from "../errors.js";
import type { Journal } from "../events/journal.js";
import type { StepRecord } from "../state/model.js";
import type { DeployInfo, DeployResult } from "./types.js";

export interface DeployHooks {
  readonly name: string;
  /** A reporter that cannot report (no token, say) explains why once, as an info event. */
  readonly notice?: string;
  /** The deploy really starts: lock held, and not the unchanged-SHA short-circuit. */
  started?(info: DeployInfo): Promise<void>;
  step?(info: DeployInfo, step: StepRecord): Promise<void>;
  /** The outcome: a success as soon as the new release serves and is persisted. */
  finished?(info: DeployInfo, result: DeployResult): Promise<void>;
}

export class HookQueue {
  private readonly tails = new Map<DeployHooks, Promise<void>>();
  /** The outcome has been queued: later steps (retiring the old release) are not reported. */
  private reported = false;

  constructor(
    private readonly hooks: readonly DeployHooks[],
    private readonly journal: Journal,
    // Real time, not the engine's Clock: these bound network calls to other services.
    private readonly perCallMs = 10_000,
  ) {}

  private enqueue(call: (h: DeployHooks) => Promise<void> | undefined): void {
    for (const h of this.hooks) {
      const tail = (this.tails.get(h) ?? Promise.resolve()).then(async () => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const p = call(h);
          if (!p) return;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer within ${this.perCallMs}ms`)),
              this.perCallMs,
            );
          });
          await Promise.race([p, timeout]);
        } catch (e) {
          this.journal.warn("report", `${h.name}: ${errorMessage(e)}`);
        } finally {
          clearTimeout(timer);
        }
      });
      this.tails.set(h, tail);
    }
  }

  started(info: DeployInfo): void {
    for (const h of this.hooks) if (h.notice) this.journal.info("report", `${h.name}: ${h.notice}`);
    this.enqueue((h) => h.started?.(info));
  }

  step(info: DeployInfo, step: StepRecord): void {
    if (!this.reported) this.enqueue((h) => h.step?.(info, step));
  }

  /** The new release serves and is persisted: report the success now, without waiting. */
  served(info: DeployInfo, result: DeployResult): void {
    this.enqueue((h) => h.finished?.(info, result));
    this.reported = true;
  }

  /** Queues the outcome unless served() did, and waits (bounded) for everything queued to be sent. */
  async finished(info: DeployInfo, result: DeployResult): Promise<void> {
    if (!this.reported) this.enqueue((h) => h.finished?.(info, result));
    this.reported = true;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.journal.warn("report", "gave up waiting for reporters");
        resolve();
      }, this.perCallMs * 2);
    });
    await Promise.race([Promise.all(this.tails.values()), bound]);
    clearTimeout(timer);
  }
}
