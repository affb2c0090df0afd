// Triggers for one workload+stage run one at a time, in arrival order; a newer trigger marked
// `supersedes` (a push) replaces the ones still waiting behind the running job — deploying an
// older SHA after a newer one would only be undone. Different keys run in parallel. (The engine's
// host lock still guards against other processes: this keeps one bot from queueing on it.)
// A job that cancels bakes (`/deploy … cancel-bake`) waits its turn like any other, but while it
// waits, the job running ahead of it hears of it (bakeCancelledBy) and ends its bake: behind a
// baking job in this queue it would never reach the host's lock, where the CLI's --cancel-bake asks.

export interface Job {
  /** workload+stage: what must not interleave. */
  key: string;
  /** Replaces waiting jobs of the same key (not the running one). */
  supersedes?: boolean;
  run(): Promise<void>;
  /** Told when a newer job replaced this one before it ran. */
  superseded?(): void;
  /** Its deploy's id, when it asks a bake of its key to end (`cancel-bake`) while it waits. */
  cancelsBake?: string;
}

export class KeyedQueue {
  private readonly waiting = new Map<string, Job[]>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly idle = new Set<() => void>();

  enqueue(job: Job): void {
    const queue = this.waiting.get(job.key) ?? [];
    if (job.supersedes) {
      for (const old of queue.splice(0)) old.superseded?.();
    }
    queue.push(job);
    this.waiting.set(job.key, queue);
    if (!this.running.has(job.key)) this.drain(job.key);
  }

  private drain(key: string): void {
    const next = this.waiting.get(key)?.shift();
    if (!next) {
      this.waiting.delete(key);
      this.running.delete(key);
      if (this.running.size === 0) for (const f of this.idle) f();
      return;
    }
    const p = next
      .run()
      .catch(() => undefined) // a job reports its own failure; the queue goes on
      .then(() => this.drain(key));
    this.running.set(key, p);
  }

  /**
   * The deploy id of a job waiting for `key` that asks a bake to end, if any: the running job of
   * that key asks this during its bake (the engine's in-process bake cancel).
   */
  bakeCancelledBy(key: string): string | undefined {
    return this.waiting.get(key)?.find((j) => j.cancelsBake !== undefined)?.cancelsBake;
  }

  /** Jobs waiting or running (the metrics' queue depth). */
  get depth(): number {
    let n = this.running.size;
    for (const q of this.waiting.values()) n += q.length;
    return n;
  }

  /** Resolves when nothing runs or waits (tests, graceful shutdown). */
  whenIdle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const f = () => {
        this.idle.delete(f);
        resolve();
      };
      this.idle.add(f);
    });
  }
}
