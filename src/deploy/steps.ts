// Every deploy step is timed, journaled and recorded the same way, so the CLI's progress lines,
// the --json `steps` array and the host's history all tell one story.
import { errorMessage, isTinyforgeError } from "../errors.js";
import type { Journal } from "../events/journal.js";
import type { Clock } from "../ports/clock.js";
import type { StepRecord } from "../state/model.js";

export class Steps {
  readonly records: StepRecord[] = [];
  /** The step running now, or the last one that ran. */
  current?: string;
  /** The first step that failed: where a deploy broke, even if its cleanup steps ran after. */
  failedAt?: string;

  constructor(
    private readonly journal: Journal,
    private readonly clock: Clock,
    /** Checked before each step: e.g. a deploy that lost its lock stops here. */
    private readonly guard: () => void = () => {},
    private readonly onStep?: (step: StepRecord) => void,
  ) {}

  private done(rec: StepRecord): void {
    this.records.push(rec);
    try {
      this.onStep?.(rec);
    } catch {
      // progress output must never fail a deploy
    }
  }

  async run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.guard();
    const t0 = this.clock.now();
    this.current = name;
    this.journal.emit("debug", name, "started");
    // On the host at once (not awaited): a deploy that dies in this step leaves the step it reached.
    void this.journal.flush();
    try {
      const v = await fn();
      const ms = this.clock.now() - t0;
      this.done({ name, ms, ok: true });
      this.journal.info(name, `ok in ${ms}ms`);
      return v;
    } catch (e) {
      const ms = this.clock.now() - t0;
      this.failedAt ??= name;
      this.done({ name, ms, ok: false });
      this.journal.error(name, `failed after ${ms}ms: ${publicReason(e)}`);
      throw e;
    } finally {
      // Awaited (unlike the start's): a deploy killed in the next step must find this one's end
      // on the host, so its record names the step it reached or the one before, never earlier.
      await this.journal.flush();
    }
  }
}

function publicReason(e: unknown): string {
  return isTinyforgeError(e) && e.publicMessage ? e.publicMessage : errorMessage(e);
}
