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

export class BotMetrics {
  readonly registry = new Registry();
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

  constructor(levels: Levels) {
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

  deployed(project: string, r: DeployResult): void {
    const labels = { project, stage: r.stage, outcome: r.outcome };
    this.deploys.inc(labels);
    this.duration.observe(labels, r.durationMs / 1000);
    for (const s of r.steps) this.steps.observe({ project, step: s.name }, s.ms / 1000);
  }

  /** The pending status of a trigger received at `receivedAt` (performance.now()) was sent. */
  pendingSent(receivedAt: number): void {
    this.toPending.observe((performance.now() - receivedAt) / 1000);
  }
}

/** GET /metrics, behind TINYFORGE_API_TOKEN when one is set (the same bearer as the events API). */
export function metricsHandler(metrics: BotMetrics, token: string | undefined) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!authorized(req, token)) {
      res.writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": "Bearer" });
      res.end("missing or wrong bearer token\n");
      return;
    }
    const body = await metrics.registry.metrics();
    res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
    res.end(body);
  };
}
