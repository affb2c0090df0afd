// A Clock whose sleep moves time forward at once: liveness windows, retry intervals and drains
// cost nothing, yet the engine sees exactly the time it asked to wait.
import type { Clock } from "../../src/ports/clock.js";

export const FAKE_EPOCH = Date.parse("2025-01-01T00:00:00.000Z");

export class FakeClock implements Clock {
  /** Every sleep the engine asked for, in order. */
  readonly slept: number[] = [];

  constructor(private t = FAKE_EPOCH) {}

  now(): number {
    return this.t;
  }

  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.t += Math.max(0, ms);
    // Yield a macrotask so concurrent work (file I/O, another deploy) interleaves as it would.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  advance(ms: number): void {
    this.t += ms;
  }
}
