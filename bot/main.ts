// `npx tinyforge-bot`: read the env once, wire the GitHub App, the Gitea receiver, Slack and the
// events API onto one runner and one queue, and listen. startBot() is also what tests call.
import type { Server } from "node:http";
import type { DeployEvent } from "../src/state/model.js";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createProbot } from "probot";
import { HostPool } from "../src/adapters/ssh-pool.js";
import { errorMessage, isTinyforgeError } from "../src/errors.js";
import { DEFAULT_TIMEOUT_MS } from "../src/net/fetch.js";
import { eventsApi } from "./api/events.js";
import { HostHistory } from "./api/history.js";
import { EventHub } from "./api/hub.js";
import { projectNamed } from "./config.js";
import { mountDashboard } from "./dashboard/mount.js";
import { type BotSettings, botSettings, type Env } from "./env.js";
import { ForgeFlows } from "./forge/flows.js";
import { PreviewComments } from "./forge/preview.js";
import { PreviewSweep } from "./forge/sweep.js";
import { type Clock, systemClock } from "../src/ports/clock.js";
import { Tasks } from "./forge/tasks.js";
import { WAITS_FILE, Waits } from "./forge/waits.js";
import type { Logger } from "./forge/types.js";
import { GiteaClient } from "./gitea/client.js";
import { giteaReceiver } from "./gitea/receiver.js";
import { GiteaRepoApi } from "./gitea/repo-api.js";
import { githubApp, githubRepoApi } from "./github/app.js";
import { Installations } from "./github/installations.js";
import { githubReceiver } from "./github/verify.js";
import { Inbox } from "./inbox.js";
import { BotMetrics, isLoopback, metricsHandler } from "./metrics.js";
import { jsonLog } from "./log.js";
import { KeyedQueue } from "./queue.js";
import { type RepoApis, resumeAccepted } from "./resume.js";
import { BotRunner, type RepoSource } from "./runner.js";
import { type BotServices, createBotServer, type Routes } from "./server.js";
import { GiteaSource } from "./sources/gitea.js";
import { GitHubSource } from "./sources/github.js";
import { warmHosts, warmInstallations, warmOutbound, warmPushPath } from "./warm.js";

export interface RunningBot {
  url: string;
  server: Server;
  services: BotServices;
  hub: EventHub;
  /**
   * The start-up warm-up done (bot/warm.ts: installation tokens minted, or their failure logged;
   * the first request through each HTTP client; each host's SSH connection opened, or not). Webhooks are served before that; one arriving
   * meanwhile shares the mint under way. GET /healthz answers 503 until then (or readyWithinMs).
   */
  warmedUp: Promise<void>;
  /** Every webhook's background work and every queued deploy done (tests, shutdown). */
  whenIdle(): Promise<void>;
  close(): Promise<void>;
}

/** The bot's log before its settings are read (a failed start); main() makes one at LOG_LEVEL. */
export const stderrLog: Logger = jsonLog();

export async function startBot(
  env: Env,
  /**
   * clock: what "now" is for preview_ttl (tests move it forward instead of waiting hours).
   * readyWithinMs: how long GET /healthz may say "starting" while the warm-up waits for GitHub.
   */
  opts: { log?: Logger; clock?: Clock; readyWithinMs?: number } = {},
): Promise<RunningBot> {
  const log = opts.log ?? stderrLog;
  const s = botSettings(env);
  const queue = new KeyedQueue();
  const tasks = new Tasks(queue, log);
  const hub = new EventHub();
  const routes: Partial<Routes> = {};
  let ready = false;

  const probot = s.github ? createProbot({ env: s.github.probotEnv }) : undefined;
  const installations = probot ? new Installations(probot) : undefined;
  const gitea = s.gitea ? new GiteaClient(s.gitea.url, s.gitea.token) : undefined;
  const sources = {
    github: installations && s.github ? new GitHubSource(installations, s.github.api) : undefined,
    gitea: gitea ? new GiteaSource(gitea) : undefined,
  };
  const source = (project: string): RepoSource => {
    const forge = projectNamed(s.config, project)?.forge ?? "github";
    const src = sources[forge];
    if (!src) throw new Error(`project ${project}: the ${forge} forge is not configured`);
    return src;
  };

  // One SSH connection per host, kept across deploys: a push does not pay the handshake.
  const pool = new HostPool();
  const inbox = Inbox.load(s.stateDir);
  const metrics = new BotMetrics(
    {
      queueDepth: () => queue.depth,
      sshConnections: () => pool.size,
      accepted: () => inbox.size,
    },
    Object.keys(s.config.projects),
  );
  const runner = new BotRunner({
    metrics,
    config: s.config,
    env: s.deployEnv,
    botEnv: s.botEnv,
    source,
    queue,
    onEvent: (project, e) => {
      hub.publish(project, e);
      logEvent(log, project, e);
    },
    pool,
  });
  const previews = new PreviewComments(log);
  let sweep: PreviewSweep | undefined;
  const flows = new ForgeFlows({
    config: s.config,
    runner,
    tasks,
    previews,
    log,
    inbox,
    // Held deploys outlive a restart where accepted triggers do.
    waits: new Waits(s.stateDir ? join(s.stateDir, WAITS_FILE) : undefined, (m) => log.warn(m)),
    onEvent: (project) => sweep?.onEvent(project),
  });
  const apis: RepoApis = {};
  const services: BotServices = { config: s.config, env: s.deployEnv, runner, queue, tasks, source, log };

  if (probot && installations && s.github) {
    // The deploys' GitHub reporter loads Octokit on first use (src/adapters/forge/github.ts): a
    // CLI deploy does that while it connects, but the bot's first push would wait for it before
    // its pending status. Loaded now, while the bot starts.
    void import("@octokit/rest").catch(() => undefined);
    await probot.load(githubApp({ flows, installations, api: s.github.api, log }));
    // The signature is checked once, by the receiver; Probot gets the verified delivery.
    routes.github = githubReceiver(
      s.github.probotEnv.WEBHOOK_SECRET!,
      (delivery) => probot.receive(delivery as Parameters<typeof probot.receive>[0]),
      log,
    );
    const api = s.github.api;
    apis.github = (repo) => githubRepoApi({ installations, api }, repo);
  }
  if (gitea && s.gitea) {
    let login: Promise<string> | undefined;
    const botLogin = () => {
      login ??= gitea.json<{ login: string }>("GET", "/user").then((u) => u.login);
      login.catch(() => (login = undefined));
      return login;
    };
    const api = (repo: string) => new GiteaRepoApi(gitea, repo, botLogin);
    routes.gitea = giteaReceiver({
      ...(s.gitea.secret ? { secret: s.gitea.secret } : {}),
      repoSecrets: s.gitea.repoSecrets,
      flows,
      api,
      log,
    });
    apis.gitea = async (repo) => api(repo);
  }
  const slack = s.slack ? await mountSlack(services, env) : undefined;
  if (slack) routes.slack = slack;

  const history = new HostHistory({ config: s.config, env: s.deployEnv, source });
  sweep = new PreviewSweep({
    config: s.config,
    session: (project) => history.session(project),
    apis,
    previews,
    flows,
    tasks,
    clock: opts.clock ?? systemClock,
    log,
    intervalMs: s.sweepIntervalMs,
  });
  const dashboard = mountDashboard(s, env, history, hub);
  const server = createBotServer({
    ...routes,
    dashboard,
    events: eventsApi({ config: s.config, history, hub, token: s.apiToken }),
    metrics: metricsHandler(metrics, {
      tokens: [s.metricsToken ?? "", s.apiToken ?? ""],
      host: s.host,
    }),
    health: () => ({ ...health(s, tasks.size, hub.subscribers), accepted: inbox.size }),
    ready: () => ready,
    log,
  });
  // The first push after a start is not the one that pays for the first config parse, validation
  // and admission (bot/warm.ts).
  await warmPushPath(s.config, runner);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(s.port, s.host, () => resolve());
  });
  if (!s.metricsToken && !s.apiToken && !isLoopback(s.host))
    log.warn(`GET /metrics answers 403: set TINYFORGE_METRICS_TOKEN, the bot listens on ${s.host}`);
  if (!inbox.persistent)
    log.warn(
      "TINYFORGE_BOT_STATE_DIR is not set: accepted triggers and deploys held for their checks are kept in memory only, and a restart loses them",
    );
  if (inbox.unfinished.length > 0) {
    log.info(`resuming ${inbox.unfinished.length} trigger(s) accepted before the restart`);
    tasks.run("resume", () => resumeAccepted(inbox, flows, apis, log));
  }
  sweep.start();
  // Nor for the first installation token: minted now, in the background (a push shares the mint).
  const addr = server.address() as AddressInfo;
  // The bot reaches itself on loopback when it listens on every address.
  const wildcard = addr.address === "0.0.0.0" || addr.address === "::";
  const warmedUp = Promise.all([
    installations && s.github ? warmInstallations(s.config, installations, s.github.api, log) : undefined,
    warmOutbound(urlOf(addr, wildcard ? "127.0.0.1" : addr.address)),
    warmHosts(s.config, pool, s.deployEnv, log),
  ]).then(() => undefined);
  // Ready (GET /healthz 200) once warm: until then the first pushes would compete with the
  // warm-up for the event loop, each slower than a warm bot's. A GitHub that does not answer
  // keeps it starting for readyWithinMs at most; the first push then asks again.
  const readyBound = setTimeout(() => (ready = true), opts.readyWithinMs ?? DEFAULT_TIMEOUT_MS);
  readyBound.unref();
  void warmedUp.finally(() => {
    clearTimeout(readyBound);
    ready = true;
  });
  return {
    url: urlOf(addr, addr.address),
    server,
    services,
    hub,
    warmedUp,
    whenIdle: async () => {
      await tasks.whenIdle();
      await slack?.whenIdle();
    },
    close: () =>
      new Promise<void>((resolve) => {
        sweep?.stop();
        server.close(() => resolve());
        // SSE streams stay open until their clients leave: cut them so close() finishes.
        server.closeAllConnections();
      })
        .then(() => pool.closeAll())
        .finally(() => inbox.close()),
  };
}

/** The bot's URL at `address` (the one it listens on, or loopback), bracketed when IPv6. */
function urlOf(addr: AddressInfo, address: string): string {
  return `http://${address.includes(":") ? `[${address}]` : address}:${addr.port}`;
}

/** A deploy's event as a log line carrying its deploy id (build output, at debug, stays in the events). */
function logEvent(log: Logger, project: string, e: DeployEvent): void {
  if (e.level === "debug") return;
  const fields = { deployId: e.deployId, project, workload: e.workload, stage: e.stage, step: e.step };
  log[e.level](e.msg, fields);
}

function health(s: BotSettings, tasks: number, streams: number): Record<string, unknown> {
  return { github: Boolean(s.github), gitea: Boolean(s.gitea), slack: s.slack, tasks, streams };
}

/** POST /slack/events, from bot/slack (the Slack app); it reads its own SLACK_* names from env. */
async function mountSlack(services: BotServices, env: Env) {
  const { createSlackHandler } = await import("./slack/index.js");
  return createSlackHandler({
    config: services.config,
    runner: services.runner,
    source: services.source,
    env,
  });
}

/**
 * The last line of defence: whatever escapes a handler (a throw in a callback, a promise nobody
 * awaited) is logged and the bot keeps serving. Every other deploy and webhook is unaffected.
 */
export function guardProcess(log: Logger = stderrLog): () => void {
  const rejected = (e: unknown) =>
    log.error(`unhandled rejection (the bot keeps serving): ${errorMessage(e)}`);
  const thrown = (e: unknown) => log.error(`uncaught exception (the bot keeps serving): ${errorMessage(e)}`);
  process.on("unhandledRejection", rejected);
  process.on("uncaughtException", thrown);
  return () => {
    process.off("unhandledRejection", rejected);
    process.off("uncaughtException", thrown);
  };
}

/** How long SIGTERM waits for running deploys (TINYFORGE_BOT_SHUTDOWN_TIMEOUT_MS, default 60 s). */
function shutdownBound(env: Env): number {
  const ms = Number(env.TINYFORGE_BOT_SHUTDOWN_TIMEOUT_MS ?? 60_000);
  return Number.isFinite(ms) && ms >= 0 ? ms : 60_000;
}

/**
 * The command: start, say where, and on SIGTERM/SIGINT stop taking webhooks and let running
 * deploys finish, for a bounded time. Resolves with the exit code; the caller exits with it (a
 * deploy still running at the bound is abandoned: its host's next deploy reconciles after it).
 */
export async function main(env: Env = process.env): Promise<number> {
  const log = jsonLog(env.LOG_LEVEL);
  guardProcess(log);
  let bot: RunningBot;
  try {
    bot = await startBot(env, { log });
  } catch (e) {
    const fields = isTinyforgeError(e)
      ? { details: e.details.join("; ") || undefined, hint: e.hint }
      : undefined;
    log.error(errorMessage(e), fields);
    return 2;
  }
  log.info(`listening on ${bot.url} (GET /healthz)`, { url: bot.url });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      const bound = shutdownBound(env);
      log.info(`${signal}: no new webhooks; waiting up to ${bound / 1000}s for running deploys`);
      bot.server.close();
      const timer = setTimeout(() => {
        log.warn(`${signal}: deploys still running after ${bound / 1000}s; exiting anyway`);
        resolve();
      }, bound);
      bot.whenIdle().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => resolve(),
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  await bot.close();
  return 0;
}
