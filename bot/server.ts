// The bot's one HTTP server: GitHub App webhooks (verified, then Probot), Gitea webhooks, Slack
// events (when configured), the events API and a health check. Routing only: every route's
// handler is built elsewhere and handed in.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { errorMessage } from "../src/errors.js";
import { EVENTS_PATH } from "./api/events.js";
import { BodyBudget } from "./body-limit.js";
import { DASHBOARD_PATH } from "./dashboard/index.js";
import type { BotConfig } from "./config.js";
import type { Tasks } from "./forge/tasks.js";
import type { Logger } from "./forge/types.js";
import type { KeyedQueue } from "./queue.js";
import type { BotRunner, RepoSource } from "./runner.js";

export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** What the bot shares with every entry point mounted on it (the Slack app takes this). */
export interface BotServices {
  config: BotConfig;
  env: Record<string, string | undefined>;
  runner: BotRunner;
  queue: KeyedQueue;
  tasks: Tasks;
  /** Read access to a project's repo, through the forge the bot config names. */
  source: (project: string) => RepoSource;
  log: Logger;
}

export interface Routes {
  /** POST /api/github/webhooks: the GitHub receiver (bot/github/verify.ts: X-Hub-Signature-256, then Probot). */
  github?: Handler;
  /** POST /api/gitea/webhooks. */
  gitea?: Handler;
  /** POST /slack/events. */
  slack?: Handler;
  /** GET /metrics: Prometheus' text format (bot/metrics.ts). */
  metrics?: Handler;
  /** GET /, /projects/…, /login, /assets/…: the read-only dashboard (bot/dashboard). */
  dashboard?: Handler;
  events: (req: IncomingMessage, res: ServerResponse, id: string, query: URLSearchParams) => Promise<void>;
  health: () => Record<string, unknown>;
  /**
   * False while the bot warms up (bot/warm.ts): GET /healthz then answers 503 `starting`, so a
   * load balancer or an orchestrator waits for a bot that serves a push at full speed. Webhooks
   * are served all the same. Without it, ready from the start.
   */
  ready?: () => boolean;
  log: Logger;
  /** Bounds webhook bodies before any handler reads them (default: 25 MB each, 64 MB at once). */
  bodies?: BodyBudget;
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(`${JSON.stringify(body)}\n`);
}

/** The raw body (signatures are over the exact bytes), or undefined past maxBytes. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createBotServer(routes: Routes): Server {
  const bodies = routes.bodies ?? new BodyBudget();
  const post: Record<string, Handler | undefined> = {
    "/api/github/webhooks": routes.github,
    "/api/gitea/webhooks": routes.gitea,
    "/slack/events": routes.slack,
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://bot");
    const path = url.pathname;
    if (path in post) {
      const h = post[path];
      if (!h) return json(res, 404, { error: `${path} is not enabled on this bot` });
      if (req.method !== "POST") return json(res, 405, { error: "use POST" }, { allow: "POST" });
      const admitted = bodies.admit(req, res);
      // Closing the connection keeps Node from reading the refused body to reuse the socket.
      if (!admitted.ok) return json(res, admitted.status, { error: admitted.error }, { connection: "close" });
      await h(req, res);
      return;
    }
    if (path === "/healthz") {
      if (req.method !== "GET" && req.method !== "HEAD")
        return json(res, 405, { error: "use GET" }, { allow: "GET" });
      if (routes.ready && !routes.ready())
        return json(res, 503, { ok: false, starting: true, ...routes.health() });
      return json(res, 200, { ok: true, ...routes.health() });
    }
    if (path === "/metrics" && routes.metrics) {
      if (req.method !== "GET") return json(res, 405, { error: "use GET" }, { allow: "GET" });
      await routes.metrics(req, res);
      return;
    }
    const m = EVENTS_PATH.exec(path);
    if (m) {
      if (req.method !== "GET") return json(res, 405, { error: "use GET" }, { allow: "GET" });
      return routes.events(req, res, m[1]!, url.searchParams);
    }
    if (routes.dashboard && DASHBOARD_PATH.test(path)) {
      await routes.dashboard(req, res);
      return;
    }
    json(res, 404, { error: "not found" });
  };
  return createServer((req, res) => {
    handle(req, res).catch((e) => {
      routes.log.error(`${req.method} ${req.url}: ${errorMessage(e)}`);
      if (!res.headersSent) json(res, 500, { error: "internal error" });
      else res.end();
    });
  });
}
