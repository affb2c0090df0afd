// A push's pending status is a few small HTTP requests; a deploy's start is an SSH handshake,
// Docker API calls and the engine's code, on the same Node thread and the machine's few cores. A
// deploy that starts while another push is still on its way to its pending status (reading the
// config, validating it, writing the status request) holds that pending up by tens of ms. So a
// queued job's work waits until no trigger is on its way and every request already begun (the
// pendings) is written to its socket — never longer than BOUND_MS, so a hanging status request or
// a flood of pushes delays a deploy by that at most.
import { requestsWritten } from "../src/net/fetch.js";

export const BOUND_MS = 150;

export class PendingFirst {
  private onTheirWay = 0;
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly opts: {
      /** Resolves once the requests begun so far are written (src/net/fetch.ts). */
      written?: () => Promise<void>;
      boundMs?: number;
    } = {},
  ) {}

  /**
   * A trigger sets out for its pending status (its webhook was accepted). The function returned
   * says it got there: its pending requests are begun, or it will send none. Calling it again
   * does nothing.
   */
  setOut(): () => void {
    this.onTheirWay++;
    let arrived = false;
    return () => {
      if (arrived) return;
      arrived = true;
      this.onTheirWay--;
      if (this.onTheirWay === 0) for (const wake of this.waiting) wake();
    };
  }

  /** Triggers still on their way to their pending status. */
  get pending(): number {
    return this.onTheirWay;
  }

  /**
   * Resolves when a deploy's work may start: no trigger on its way, the requests begun written;
   * at the latest after the bound.
   */
  clear(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const given = { up: false };
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.opts.boundMs ?? BOUND_MS);
    });
    return Promise.race([this.settled(given), bound]).finally(() => {
      given.up = true;
      clearTimeout(timer);
    });
  }

  private async settled(given: { up: boolean }): Promise<void> {
    const written = this.opts.written ?? requestsWritten;
    while (!given.up) {
      if (this.onTheirWay > 0) await this.arrivals();
      // A pending's request is begun a few promise hops after its trigger arrived (the reporter,
      // Octokit's hooks): one turn of the loop lets them reach the socket before it is waited for.
      await nextTurn();
      await written();
      // Another push may have set out meanwhile: it goes first too.
      if (this.onTheirWay === 0) return;
    }
  }

  private arrivals(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.waiting.delete(wake);
        resolve();
      };
      this.waiting.add(wake);
    });
  }
}

/** Resolves after the I/O and timers already due: what was queued before it has run. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
