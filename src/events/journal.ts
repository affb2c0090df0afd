// The deploy's story as structured events. Listeners (the CLI's progress printer, later the bot's
// live message) see each event at once; the host copy is appended in batches at step boundaries
// so writing history never sits on the deploy's critical path more than once per step.
import type { Clock } from "../ports/clock.js";
import type { DeployEvent, Level } from "../state/model.js";
import type { Store } from "../state/store.js";
import { capRunes, type Redactor } from "./redact.js";

export type EventListener = (e: DeployEvent) => void;

export class Journal {
  private pending: DeployEvent[] = [];
  private readonly listeners: EventListener[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  /** Events also reach the host within this long during a step (a long build), for `logs --follow`. */
  flushEveryMs = 1000;

  constructor(
    private readonly base: { deployId: string; workload: string; stage: string },
    private readonly redact: Redactor,
    private readonly clock: Clock,
    private readonly store?: Store,
  ) {}

  on(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(level: Level, step: string, msg: string): void {
    const e: DeployEvent = {
      ts: new Date(this.clock.now()).toISOString(),
      ...this.base,
      level,
      step,
      // Redact before capping: a cut must never leave half a secret behind.
      msg: capRunes(this.redact(msg), 256),
    };
    this.pending.push(e);
    if (this.store && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushEveryMs);
      this.timer.unref();
    }
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A listener's failure (a closed terminal, a chat outage) must not fail the deploy.
      }
    }
  }

  info(step: string, msg: string): void {
    this.emit("info", step, msg);
  }

  warn(step: string, msg: string): void {
    this.emit("warn", step, msg);
  }

  error(step: string, msg: string): void {
    this.emit("error", step, msg);
  }

  /** Appends what is pending to the host; flushes run one after another so the file keeps order. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.append());
    return this.flushing;
  }

  private async append(): Promise<void> {
    if (!this.store || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      await this.store.appendEvents(this.base.deployId, batch);
    } catch {
      // History is best-effort; put the batch back so the final flush retries it.
      this.pending = batch.concat(this.pending);
    }
  }
}
