// Webhook handlers answer at once (GitHub gives up after 10 s, Slack after 3 s) and leave the
// work here: each task runs in the background, its failure is logged, and whenIdle() waits for
// every task and every queued deploy (tests, graceful shutdown).
import { errorMessage } from "../../src/errors.js";
import type { KeyedQueue } from "../queue.js";
import type { Logger } from "./types.js";

export class Tasks {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly queue: KeyedQueue,
    private readonly log: Logger,
  ) {}

  run(label: string, fn: () => Promise<void>): void {
    const p: Promise<void> = Promise.resolve()
      .then(fn)
      .catch((e) => this.log.error(`${label}: ${errorMessage(e)}`))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when no task runs and the queue is idle (a task may queue deploys as it ends). */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.running.size > 0) {
        await Promise.allSettled([...this.running]);
        continue;
      }
      await this.queue.whenIdle();
      if (this.running.size === 0) return;
    }
  }
}
