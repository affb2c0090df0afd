// The documented environment (README: "Environment"), read once into typed credentials and
// settings. The CLI's and the action's edge call it; the bot reads its own variables the same way
// and takes the forge from each trigger instead. Nothing below src/app reads an env var.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { TinyforgeError } from "../errors.js";
import type { ForgeKind } from "../ports/forge.js";
import type { Credentials, ForgeCredentials } from "./credentials.js";

export type Env = Readonly<Record<string, string | undefined>>;

const set = (v: string | undefined) => (v ? v : undefined);

function textOrFile(env: Env, name: string): string | undefined {
  if (env[name]) return env[name];
  const file = env[`${name}_FILE`];
  if (!file) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new TinyforgeError(
      "usage",
      `${name}_FILE: cannot read ${file} (${(e as NodeJS.ErrnoException).code})`,
    );
  }
}

/** OpenSSH's own pins, as `ssh` would use them, when none are given: absent file = no pins. */
function userKnownHosts(env: Env): string | undefined {
  try {
    return readFileSync(join(env.HOME || homedir(), ".ssh", "known_hosts"), "utf8");
  } catch {
    return undefined;
  }
}

export function lockTtlFromEnv(env: Env): number {
  const ttl = env.TINYFORGE_LOCK_TTL_MS ? Number(env.TINYFORGE_LOCK_TTL_MS) : 30_000;
  if (!Number.isFinite(ttl) || ttl < 100)
    throw new TinyforgeError("usage", "TINYFORGE_LOCK_TTL_MS: must be a number of milliseconds ≥ 100");
  return ttl;
}

/** What a CI run says about its forge: Gitea Actions and GitLab CI say so; GitHub is the default. */
export function forgeFromEnv(env: Env): ForgeCredentials {
  const kind: ForgeKind | undefined =
    env.GITEA_ACTIONS === "true" ? "gitea" : env.GITLAB_CI === "true" ? "gitlab" : undefined;
  const tokens: ForgeCredentials["tokens"] = {};
  if (set(env.GITHUB_TOKEN)) tokens.github = env.GITHUB_TOKEN;
  if (set(env.GITEA_TOKEN)) tokens.gitea = env.GITEA_TOKEN;
  if (set(env.GITLAB_TOKEN)) tokens.gitlab = env.GITLAB_TOKEN;
  const ci = ["GITHUB_ACTIONS", "GITEA_ACTIONS", "GITLAB_CI"].some((n) => env[n] === "true");
  return {
    ...(kind ? { kind } : {}),
    ...(ci ? { ci } : {}),
    tokens,
    actions: {
      api: set(env.GITHUB_API_URL),
      repo: set(env.GITHUB_REPOSITORY),
      web: set(env.GITHUB_SERVER_URL),
    },
    gitlab: { api: set(env.CI_API_V4_URL), repo: set(env.CI_PROJECT_PATH), web: set(env.CI_SERVER_URL) },
  };
}

export function credentialsFromEnv(env: Env): Credentials {
  return {
    sshKey: textOrFile(env, "TINYFORGE_SSH_KEY"),
    knownHosts: textOrFile(env, "TINYFORGE_KNOWN_HOSTS") ?? userKnownHosts(env),
    forge: forgeFromEnv(env),
    notify: {
      slackToken: set(env.SLACK_BOT_TOKEN),
      slackWebhook: set(env.SLACK_WEBHOOK_URL),
      slackApi: set(env.SLACK_API_URL),
    },
    proxy: {
      user: env.TINYFORGE_PROXY_USER,
      password: env.TINYFORGE_PROXY_PASSWORD,
      token: env.TINYFORGE_PROXY_TOKEN,
    },
  };
}
