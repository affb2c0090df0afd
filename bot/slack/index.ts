// The Slack side of the bot: a request handler for POST /slack/events (the bot's server mounts it
// when SLACK_SIGNING_SECRET is set). Requests go through Bolt — its signature check, its
// dispatch, its ack — to the /deploy command and the "Roll back" button.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Logger, LogLevel } from "@slack/bolt";
import { SLACK_API_URL, SlackApiNotifier } from "../../src/adapters/notify/slack-api.js";
import { credentialValues } from "../../src/app/credentials.js";
import { credentialsFromEnv } from "../../src/app/env.js";
import { TinyforgeError } from "../../src/errors.js";
import { makeRedactor, oneLine } from "../../src/events/redact.js";
import { assertCallable, DEFAULT_TIMEOUT_MS } from "../../src/net/fetch.js";
import type { BotConfig } from "../config.js";
import type { BotRunner, RepoSource } from "../runner.js";
import { slackApp } from "./app.js";
import { ChatOps } from "./chatops.js";
import { MountedReceiver } from "./receiver.js";

export interface SlackDeps {
  config: BotConfig;
  runner: BotRunner;
  source: (project: string) => RepoSource;
  /** SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL, and the secrets to redact. */
  env: Record<string, string | undefined>;
  /** The Web API base (default SLACK_API_URL, else https://slack.com/api/). */
  slackApiUrl?: string;
  /** Bolt's and our warnings (default: warnings and errors on stderr). */
  logger?: Logger;
}

export type SlackHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  /** Resolves once every command started so far has finished (tests, graceful shutdown). */
  whenIdle(): Promise<void>;
};

function stderrLogger(): Logger {
  let level = LogLevel.WARN;
  const write = (at: LogLevel, msgs: unknown[]) => {
    const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
    if (order.indexOf(at) >= order.indexOf(level))
      process.stderr.write(`[${at}] ${oneLine(msgs.join(" "))}\n`);
  };
  return {
    debug: (...m) => write(LogLevel.DEBUG, m),
    info: (...m) => write(LogLevel.INFO, m),
    warn: (...m) => write(LogLevel.WARN, m),
    error: (...m) => write(LogLevel.ERROR, m),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export function createSlackHandler(deps: SlackDeps): SlackHandler {
  const { env } = deps;
  const secret = env.SLACK_SIGNING_SECRET;
  if (!secret)
    throw new TinyforgeError("usage", "SLACK_SIGNING_SECRET is not set", {
      hint: "copy it from the Slack app's Basic Information page; without it no request can be verified",
    });
  const token = env.SLACK_BOT_TOKEN;
  if (!token)
    throw new TinyforgeError("usage", "SLACK_BOT_TOKEN is not set", {
      hint: "the Slack app posts and updates deploy messages with its bot token (xoxb-…)",
    });
  const apiUrl = deps.slackApiUrl ?? env.SLACK_API_URL ?? SLACK_API_URL;
  try {
    assertCallable(new URL(apiUrl));
  } catch (e) {
    throw new TinyforgeError("usage", `SLACK_API_URL: ${(e as Error).message}`);
  }
  const logger = deps.logger ?? stderrLogger();
  const redact = makeRedactor([...credentialValues(credentialsFromEnv(env)), secret]);
  const ops = new ChatOps({
    config: deps.config,
    runner: deps.runner,
    source: deps.source,
    slack: (channel) => new SlackApiNotifier(token, channel, apiUrl, DEFAULT_TIMEOUT_MS),
    redact,
    warn: (m) => logger.warn(m),
  });
  const receiver = new MountedReceiver(secret, logger);
  slackApp({ receiver, token, config: deps.config, ops, logger });
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    // Tracked from arrival: the answer goes out at ack(), before the listener hands its work on.
    ops.track(
      receiver.handle(req, res).catch((e) => {
        logger.error(`slack: ${(e as Error).message}`);
        if (!res.headersSent) {
          res.writeHead(500);
          res.end();
        }
      }),
    );
  };
  return Object.assign(handler, { whenIdle: () => ops.whenIdle() });
}
