// Live deploy events for the SSE stream: the runner publishes every event of every deploy this
// bot runs; subscribers (one per open stream) get those of their workload at or above their level.
// Each event's id is DEPLOYID.N, N its position in the deploy's event file on the host, the same
// id the paged API gives it, so a client can merge the live stream with the history it loaded.
import type { DeployEvent, Level } from "../../src/state/model.js";

export const LEVELS: readonly Level[] = ["debug", "info", "warn", "error"];

export interface IdentifiedEvent extends DeployEvent {
  id: string;
}

export interface Subscription {
  project: string;
  /** Unset: every workload of the project (the dashboard's project page). */
  workload?: string;
  stage?: string;
  min: Level;
  send(e: IdentifiedEvent): void;
}

export function atLeast(level: Level, min: Level): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(min);
}

export class EventHub {
  private readonly subs = new Set<Subscription>();
  /** Events seen per deploy id: the next one's N. Bounded: old deploys are forgotten. */
  private readonly counts = new Map<string, number>();

  publish(project: string, e: DeployEvent): void {
    const n = this.counts.get(e.deployId) ?? 0;
    this.counts.delete(e.deployId); // re-inserted last: Map order is least recently used first
    this.counts.set(e.deployId, n + 1);
    if (this.counts.size > 1000) this.counts.delete(this.counts.keys().next().value!);
    const out: IdentifiedEvent = { ...e, id: `${e.deployId}.${n}` };
    for (const s of this.subs) {
      if (s.project !== project || (s.workload && s.workload !== e.workload)) continue;
      if (s.stage && s.stage !== e.stage) continue;
      if (!atLeast(e.level, s.min)) continue;
      try {
        s.send(out);
      } catch {
        // A broken stream is removed by its own close handler; the others go on.
      }
    }
  }

  subscribe(s: Subscription): () => void {
    this.subs.add(s);
    return () => this.subs.delete(s);
  }

  get subscribers(): number {
    return this.subs.size;
  }
}
