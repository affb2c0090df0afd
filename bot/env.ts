// Everything the bot takes from its environment, read once at start into one checked object
// (the bot is configured by env only). A missing or contradictory setting fails the start with
// the variable to set, before anything listens.
import { existsSync } from "node:fs";
import { type BotConfig, loadBotConfig } from "./config.js";
import { missingGrantedVars } from "../src/app/boundary/index.js";
import { TinyforgeError } from "../src/errors.js";
import { parseDuration } from "../src/config/duration.js";
import { own } from "../src/config/lookup.js";

export type Env = Record<string, string | undefined>;

export interface BotSettings {
  port: number;
  host: string;
  config: BotConfig;
  github?: {
    /** What Probot reads (its own names); nothing else of ours reaches it. */
    probotEnv: Record<string, string>;
    /** The REST API base: https://api.github.com, or GHE_PROTOCOL://GHE_HOST/api/v3. */
    api: string;
  };
  /**
   * secret: GITEA_WEBHOOK_SECRET, for the repositories without one of their own; repoSecrets: by
   * lower-case "owner/name", the secrets of those with `webhook_secret`.
   */
  gitea?: { url: string; token: string; secret?: string; repoSecrets: ReadonlyMap<string, string> };
  slack: boolean;
  /**
   * Where the bot keeps what it accepted until it is reported (bot/inbox.ts):
   * TINYFORGE_BOT_STATE_DIR, else systemd's STATE_DIRECTORY; neither: memory only.
   */
  stateDir?: string;
  /**
   * TINYFORGE_BOT_SWEEP_INTERVAL: how often previews past their preview_ttl are torn down and
   * deploys held for their checks asked again (default 5m).
   */
  sweepIntervalMs: number;
  /** TINYFORGE_API_TOKEN: a bearer token the events API requires when set. */
  apiToken?: string;
  /** TINYFORGE_METRICS_TOKEN: a bearer token for GET /metrics only (a scraper's). */
  metricsToken?: string;
  /**
   * What a deploy may read of the bot's environment: SSH, known hosts, proxy credentials, the lock
   * TTL and chat tokens (the trigger brings its forge credentials). Never the rest of it.
   */
  deployEnv: Env;
  /** The bot's whole environment: granted secrets are read from it, through the grants only. */
  botEnv: Env;
}

// The only names a deploy sees of the bot's environment: the settings the engine and reporters
// read (src/app/env.ts). A container's secrets come from grants.
const DEPLOY_ENV = [
  "TINYFORGE_SSH_KEY",
  "TINYFORGE_SSH_KEY_FILE",
  "TINYFORGE_KNOWN_HOSTS",
  "TINYFORGE_KNOWN_HOSTS_FILE",
  "TINYFORGE_PROXY_USER",
  "TINYFORGE_PROXY_PASSWORD",
  "TINYFORGE_PROXY_TOKEN",
  "TINYFORGE_LOCK_TTL_MS",
  "SLACK_BOT_TOKEN",
  "SLACK_WEBHOOK_URL",
  "SLACK_API_URL",
];

const need = (name: string, why: string) =>
  new TinyforgeError("usage", `${name} is not set`, {
    hint: `${why}; the bot is configured by environment only`,
  });

export function botSettings(env: Env): BotSettings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TinyforgeError("usage", `PORT: must be a port number (got ${JSON.stringify(env.PORT)})`);
  const config = loadBotConfig(env);

  let github: BotSettings["github"];
  if (env.APP_ID) {
    if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH)
      throw need("PRIVATE_KEY", "set PRIVATE_KEY (the .pem text) or PRIVATE_KEY_PATH for the GitHub App");
    if (env.PRIVATE_KEY_PATH && !env.PRIVATE_KEY && !existsSync(env.PRIVATE_KEY_PATH))
      throw new TinyforgeError("usage", `PRIVATE_KEY_PATH: no file at ${env.PRIVATE_KEY_PATH}`);
    if (!env.WEBHOOK_SECRET)
      throw need(
        "WEBHOOK_SECRET",
        "set it to the GitHub App's webhook secret (unsigned deliveries are refused)",
      );
    const protocol = env.GHE_PROTOCOL || "https";
    const probotEnv: Record<string, string> = { APP_ID: env.APP_ID, WEBHOOK_SECRET: env.WEBHOOK_SECRET };
    for (const k of [
      "PRIVATE_KEY",
      "PRIVATE_KEY_PATH",
      "GHE_HOST",
      "GHE_PROTOCOL",
      "LOG_LEVEL",
      "LOG_FORMAT",
    ]) {
      if (env[k]) probotEnv[k] = env[k];
    }
    github = {
      probotEnv,
      api: env.GHE_HOST ? `${protocol}://${env.GHE_HOST}/api/v3` : "https://api.github.com",
    };
  }

  let gitea: BotSettings["gitea"];
  const repoSecrets = giteaRepoSecrets(config, env);
  if (env.GITEA_URL) {
    if (!env.GITEA_TOKEN)
      throw need("GITEA_TOKEN", "set a Gitea access token (repository read/write, issue write)");
    const shared = Object.values(config.projects).some((p) => p.forge === "gitea" && !p.webhook_secret);
    if (!env.GITEA_WEBHOOK_SECRET && (shared || repoSecrets.size === 0))
      throw need("GITEA_WEBHOOK_SECRET", "set it to the secret of the repository's Gitea webhook");
    gitea = {
      url: env.GITEA_URL,
      token: env.GITEA_TOKEN,
      ...(env.GITEA_WEBHOOK_SECRET ? { secret: env.GITEA_WEBHOOK_SECRET } : {}),
      repoSecrets,
    };
  }

  const slack = Boolean(env.SLACK_SIGNING_SECRET);
  if (!github && !gitea && !slack)
    throw new TinyforgeError("usage", "nothing to serve", {
      hint: "set APP_ID (a GitHub App), GITEA_URL (Gitea webhooks) or SLACK_SIGNING_SECRET (Slack)",
    });
  for (const [name, p] of Object.entries(config.projects)) {
    if (p.forge === "github" && !github)
      throw new TinyforgeError("usage", `projects.${name}.forge is github, but APP_ID is not set`);
    if (p.forge === "gitea" && !gitea)
      throw new TinyforgeError("usage", `projects.${name}.forge is gitea, but GITEA_URL is not set`);
  }

  const missing = Object.entries(config.projects).flatMap(([name, p]) =>
    missingGrantedVars(p.secrets, env, `projects.${name}`),
  );
  if (missing.length > 0)
    throw new TinyforgeError("usage", "a granted secret is not set in the bot's environment", {
      details: missing,
    });
  const deployEnv = Object.fromEntries(
    DEPLOY_ENV.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]),
  );
  return {
    port,
    host: env.HOST || "127.0.0.1",
    config,
    sweepIntervalMs: sweepInterval(env),
    github,
    gitea,
    slack,
    ...(env.TINYFORGE_API_TOKEN ? { apiToken: env.TINYFORGE_API_TOKEN } : {}),
    ...(env.TINYFORGE_METRICS_TOKEN ? { metricsToken: env.TINYFORGE_METRICS_TOKEN } : {}),
    ...(stateDir(env) ? { stateDir: stateDir(env) } : {}),
    deployEnv,
    botEnv: env,
  };
}

/** Each Gitea project's own webhook secret, by lower-case repo; a named variable must be set. */
function giteaRepoSecrets(config: BotConfig, env: Env): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, p] of Object.entries(config.projects)) {
    if (!p.webhook_secret) continue;
    const key = `projects.${name}.webhook_secret`;
    if (p.forge !== "gitea")
      throw new TinyforgeError(
        "usage",
        `${key}: only for Gitea (a GitHub App's deliveries are signed with WEBHOOK_SECRET)`,
      );
    // Own properties only: a name like `constructor` is no variable of the environment.
    const value = own(env, p.webhook_secret);
    if (!value)
      throw new TinyforgeError("usage", `${key}: ${p.webhook_secret} is not set in the bot's environment`);
    out.set(p.repo.toLowerCase(), value);
  }
  return out;
}

function sweepInterval(env: Env): number {
  const text = env.TINYFORGE_BOT_SWEEP_INTERVAL;
  if (!text) return 5 * 60_000;
  const ms = parseDuration(text);
  if (ms === undefined || ms < 1000 || ms > 24 * 3_600_000)
    throw new TinyforgeError(
      "usage",
      `TINYFORGE_BOT_SWEEP_INTERVAL: must be a duration from 1s to 24h, like "5m" (got ${JSON.stringify(text)})`,
    );
  return ms;
}

function stateDir(env: Env): string | undefined {
  // systemd's StateDirectory= may list several, colon-separated: the first is ours.
  return env.TINYFORGE_BOT_STATE_DIR || env.STATE_DIRECTORY?.split(":")[0] || undefined;
}
