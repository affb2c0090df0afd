// Everything the CLI takes from its environment, read once at the edge (the engine never reads
// env vars). The action and the bot map their own inputs onto these same names.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import { TinyforgeError } from "../errors.js";
import { secretValueProblem } from "../events/redact.js";

export interface Settings {
  sshKey?: string;
  knownHosts?: string;
  proxyUser?: string;
  proxyPassword?: string;
  proxyToken?: string;
  lockTtlMs: number;
  /** TINYFORGE_TRACE=1: time each connect, Docker API call, proxy call and host file on stderr. */
  trace: boolean;
}

type Env = Record<string, string | undefined>;

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

export function settingsFromEnv(env: Env): Settings {
  const ttl = env.TINYFORGE_LOCK_TTL_MS ? Number(env.TINYFORGE_LOCK_TTL_MS) : 30_000;
  if (!Number.isFinite(ttl) || ttl < 100)
    throw new TinyforgeError("usage", "TINYFORGE_LOCK_TTL_MS: must be a number of milliseconds ≥ 100");
  return {
    sshKey: textOrFile(env, "TINYFORGE_SSH_KEY"),
    knownHosts: textOrFile(env, "TINYFORGE_KNOWN_HOSTS") ?? userKnownHosts(env),
    proxyUser: env.TINYFORGE_PROXY_USER,
    proxyPassword: env.TINYFORGE_PROXY_PASSWORD,
    proxyToken: env.TINYFORGE_PROXY_TOKEN,
    lockTtlMs: ttl,
    trace: env.TINYFORGE_TRACE === "1",
  };
}

/** Values of a workload's `secrets:`, by name; a missing one is an error before anything is touched. */
export function workloadSecrets(config: Config, workload: string, env: Env): Record<string, string> {
  const names = config.workloads[workload]?.secrets ?? [];
  const missing = names.filter((n) => env[n] === undefined);
  if (missing.length > 0) {
    throw new TinyforgeError(
      "usage",
      `workloads.${workload}.secrets: not set in the environment: ${missing.join(", ")}`,
      {
        hint: "export them in the deploying process (in a workflow: env: from secrets)",
      },
    );
  }
  for (const n of names) {
    const problem = secretValueProblem(env[n]!);
    if (problem) {
      throw new TinyforgeError("usage", `workloads.${workload}.secrets: ${n} ${problem}`, {
        hint: `use a longer value for ${n}`,
      });
    }
  }
  return Object.fromEntries(names.map((n) => [n, env[n]!]));
}

/** Every secret value we know of: redacted from all output. */
export function knownSecretValues(settings: Settings, secrets: Record<string, string>, env: Env): string[] {
  const tokens = ["GITHUB_TOKEN", "GITEA_TOKEN", "GITLAB_TOKEN", "SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL"].map(
    (n) => env[n],
  );
  return [
    settings.sshKey,
    settings.proxyPassword,
    settings.proxyToken,
    ...tokens,
    ...Object.values(secrets),
  ].filter((v): v is string => !!v);
}
