// GET /metrics: what the bot does, in Prometheus' text format (prom-client), on a registry of its
// own (not the library's global one: tests run several bots in one process). Counted where it
// happens — the runner reports each deploy's outcome and steps, the flows stamp when a webhook
// arrived — and sampled at scrape time for what is a level (queue depth, SSH connections open).
import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { DeployResult } from "../src/deploy/types.js";
import { authorized } from "./api/events.js";

export interface Levels {
  /** Deploy jobs waiting or running in the bot's queue. */
  queueDepth(): number;
  /** SSH connections the bot's pool holds open. */
  sshConnections(): number;
  /** Triggers accepted and not yet reported (bot/inbox.ts). */
  accepted(): number;
}

// Deploys take seconds to minutes (a build), steps milliseconds to minutes.
const DEPLOY_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200];
const STEP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const PENDING_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/** Distinct stage label values per project; a repo names its stages, so later ones count as "other". */
export const MAX_STAGES = 10;

export class BotMetrics {
  readonly registry = new Registry();
  /** The stage label values seen, per project: bounded, since a repo can name any number of stages. */
  private readonly stages = new Map<string, Set<string>>();
  private readonly deploys = new Counter({
    name: "tinyforge_deploys_total",
    help: "Deploys the bot ran, by project, stage and outcome.",
    labelNames: ["project", "stage", "outcome"],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: "tinyforge_deploy_duration_seconds",
    help: "How long each deploy took, start to finish.",
    labelNames: ["project", "stage", "outcome"],
    buckets: DEPLOY_BUCKETS,
    registers: [this.registry],
  });
  private readonly steps = new Histogram({
    name: "tinyforge_deploy_step_duration_seconds",
    help: "How long each step of a deploy took (pull, build, start, gate, route…).",
    labelNames: ["project", "step"],
    buckets: STEP_BUCKETS,
    registers: [this.registry],
  });
  private readonly toPending = new Histogram({
    name: "tinyforge_webhook_to_pending_seconds",
    help: "From a webhook's arrival to the deploy's pending status being sent.",
    buckets: PENDING_BUCKETS,
    registers: [this.registry],
  });

  /** `projects`: the operator's (the bot config's); any other name is counted as "other". */
  constructor(
    levels: Levels,
    private readonly projects?: readonly string[],
  ) {
    const r = [this.registry];
    new Gauge({
      name: "tinyforge_queue_depth",
      help: "Deploy jobs waiting or running in the bot's queue.",
      registers: r,
      collect() {
        this.set(levels.queueDepth());
      },
    });
    new Gauge({
      name: "tinyforge_ssh_connections_open",
      help: "SSH connections to hosts the bot holds open.",
      registers: r,
      collect() {
        this.set(levels.sshConnections());
      },
    });
    new Gauge({
      name: "tinyforge_accepted_triggers",
      help: "Triggers accepted and not yet reported (kept on disk across restarts).",
      registers: r,
      collect() {
        this.set(levels.accepted());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: "tinyforge_bot_" });
  }

  deployed(name: string, r: DeployResult): void {
    const project = !this.projects || this.projects.includes(name) ? name : "other";
    const labels = { project, stage: this.stageLabel(project, r.stage), outcome: r.outcome };
    this.deploys.inc(labels);
    this.duration.observe(labels, r.durationMs / 1000);
    for (const s of r.steps) this.steps.observe({ project, step: s.name }, s.ms / 1000);
  }

  /** The stage as a label value: the first MAX_STAGES of a project keep their name, later ones "other". */
  private stageLabel(project: string, stage: string): string {
    const seen = this.stages.get(project) ?? new Set<string>();
    this.stages.set(project, seen);
    if (seen.has(stage)) return stage;
    if (seen.size >= MAX_STAGES) return "other";
    seen.add(stage);
    return stage;
  }

  /** The pending status of a trigger received at `receivedAt` (performance.now()) was sent. */
  pendingSent(receivedAt: number): void {
    this.toPending.observe((performance.now() - receivedAt) / 1000);
  }
}

export interface MetricsAccess {
  /** TINYFORGE_METRICS_TOKEN and TINYFORGE_API_TOKEN: either one is accepted as the bearer. */
  tokens: string[];
  /** The address the bot listens on (HOST). */
  host: string;
}

/** True for an address only this machine reaches. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * GET /metrics: with a token set, only with that bearer; with none, only when the bot listens on
 * loopback (a scraper on the machine) — listening elsewhere (HOST=0.0.0.0, the container image),
 * it answers 403 until TINYFORGE_METRICS_TOKEN (or TINYFORGE_API_TOKEN) is set.
 */
export function metricsHandler(metrics: BotMetrics, access: MetricsAccess) {
  const tokens = access.tokens.filter(Boolean);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (tokens.length === 0 && !isLoopback(access.host)) {
      res.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
      res.end(
        `GET /metrics needs TINYFORGE_METRICS_TOKEN (or TINYFORGE_API_TOKEN) when the bot listens on ${access.host}\n`,
      );
      return;
    }
    if (tokens.length > 0 && !tokens.some((t) => authorized(req, t))) {
      res.writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": "Bearer" });
      res.end("missing or wrong bearer token\n");
      return;
    }
    const body = await metrics.registry.metrics();
    res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
    res.end(body);
  };
}
