// The bot's timer: every interval (and, at most once a minute per project, 2 s after one of its
// webhooks) each project's previews past their preview_ttl are torn down, and the pull request's
// comment says so; deploys held for their checks are asked again (a forge that sends no webhook
// when a status changes, a webhook that was lost). The decisions are src/app/previews.ts's.
import { execute } from "../../src/app/execute.js";
import { type Expired, formatTtl, pullOfTag } from "../../src/app/previews.js";
import type { Session } from "../../src/app/session.js";
import { errorMessage } from "../../src/errors.js";
import type { Clock } from "../../src/ports/clock.js";
import { type BotConfig, projectNamed } from "../config.js";
import type { RepoApis } from "../resume.js";
import type { ForgeFlows } from "./flows.js";
import type { PreviewComments } from "./preview.js";
import type { Tasks } from "./tasks.js";
import type { Logger } from "./types.js";

export interface SweepDeps {
  config: BotConfig;
  /** The project's config as the bot reads it outside a trigger (its default branch's). */
  session(project: string): Promise<Session>;
  apis: RepoApis;
  previews: PreviewComments;
  flows: ForgeFlows;
  tasks: Tasks;
  clock: Clock;
  log: Logger;
  intervalMs: number;
}

const EVENT_GAP_MS = 60_000;
/**
 * A webhook's sweep waits this long: it reads the default branch's config and connects to the
 * hosts (an SSH handshake's crypto runs on the event loop), which would otherwise compete with
 * the webhook's own way to its pending status.
 */
export const EVENT_SWEEP_DELAY_MS = 2_000;

export class PreviewSweep {
  private timer?: NodeJS.Timeout;
  private readonly running = new Set<string>();
  private readonly lastAt = new Map<string, number>();
  private readonly delayed = new Set<NodeJS.Timeout>();

  constructor(private readonly d: SweepDeps) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.d.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const t of this.delayed) clearTimeout(t);
    this.delayed.clear();
  }

  /** Every project swept, every held deploy asked again. */
  tick(): void {
    for (const project of Object.keys(this.d.config.projects)) this.sweep(project);
    for (const w of this.d.flows.waits.all()) {
      const api = this.d.apis[w.forge];
      if (!api) continue;
      this.d.tasks.run(`re-check ${w.repo}@${w.sha.slice(0, 7)}`, async () => {
        this.d.log.info(`${w.repo}@${w.sha.slice(0, 7)}: ${this.d.flows.recheck(await api(w.repo), w.what)}`);
      });
    }
  }

  /** A webhook of the project arrived: sweep it, unless that was done within the last minute. */
  onEvent(project: string): void {
    const last = this.lastAt.get(project);
    if (last !== undefined && this.d.clock.now() - last < EVENT_GAP_MS) return;
    this.lastAt.set(project, this.d.clock.now());
    const t = setTimeout(() => {
      this.delayed.delete(t);
      this.sweep(project);
    }, EVENT_SWEEP_DELAY_MS);
    t.unref();
    this.delayed.add(t);
  }

  private sweep(project: string): void {
    if (this.running.has(project)) return;
    this.running.add(project);
    this.lastAt.set(project, this.d.clock.now());
    // Not one of the webhooks' tasks: the bot is idle (and may stop) with a sweep under way; the
    // next one takes up whatever this one did not finish.
    void (async () => {
      try {
        const s = await this.d.session(project);
        const expired = await execute(s, { kind: "expire", now: this.d.clock.now() });
        for (const e of expired) await this.report(project, e);
      } catch (e) {
        this.d.log.info(`${project}: preview sweep: ${errorMessage(e)}`);
      } finally {
        this.running.delete(project);
      }
    })();
  }

  /** The pull request's comment says the preview is gone, and why. */
  private async report(project: string, e: Expired): Promise<void> {
    const ttl = formatTtl(e.ttlMs);
    this.d.log.info(`${project}: ${e.key} had no deploy for ${ttl} (preview_ttl): torn down`, {
      project,
      workload: e.workload,
      stage: e.stage,
    });
    const number = pullOfTag(e.tag);
    const p = projectNamed(this.d.config, project);
    const api = p ? this.d.apis[p.forge] : undefined;
    if (number === undefined || !p || !api) return;
    const comment = this.d.previews.get(await api(p.repo), number, project);
    await comment.ended(
      [{ workload: e.workload, stage: e.stage, tag: e.tag, outcome: "removed", lines: e.lines }],
      e.sha,
      `The preview was torn down after ${ttl} without a new push (preview_ttl). Push to this pull request to bring it back.`,
    );
  }
}
