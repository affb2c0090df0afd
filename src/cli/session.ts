// What every host-touching command shares: the config, the settings read from env, and a loop
// that opens each host once (one SSH connection per host per command) and always closes it.
import { basename } from "node:path";
import { hostname as machineName, userInfo } from "node:os";
import { openHost } from "../adapters/open-host.js";
import { makeProxy } from "../adapters/proxy/index.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { EngineContext } from "../deploy/types.js";
import { makeRedactor } from "../events/redact.js";
import { systemClock } from "../ports/clock.js";
import type { Host } from "../ports/host.js";
import { reportersFor } from "./reporters.js";
import { knownSecretValues, type Settings, settingsFromEnv, workloadSecrets } from "./settings.js";

export type Env = Record<string, string | undefined>;

export interface Session {
  config: Config;
  dir: string;
  file: string;
  settings: Settings;
  env: Env;
}

export async function openSession(file: string, env: Env): Promise<Session> {
  const { config, dir } = await loadConfig(file);
  return { config, dir, file: basename(file), settings: settingsFromEnv(env), env };
}

/** Runs fn on each host in turn; fn returns false to stop before the next host. */
export async function forEachHost(s: Session, fn: (host: Host) => Promise<boolean>): Promise<void> {
  // One host at a time, stopping at the first failure: a bad release must not reach them all.
  for (const entry of s.config.hosts) {
    const host = await openHost(entry, {
      sshKey: s.settings.sshKey,
      knownHosts: s.settings.knownHosts,
      connectTimeoutMs: s.config.ssh.connect_timeout,
      keepaliveMs: s.config.ssh.keepalive,
    });
    try {
      if (!(await fn(host))) return;
    } finally {
      await host.close();
    }
  }
}

export function engineContext(s: Session, host: Host, workload: string | undefined): EngineContext {
  const secrets = workload ? workloadSecrets(s.config, workload, s.env) : {};
  return {
    config: s.config,
    configDir: s.dir,
    host,
    proxy: makeProxy(s.config, host, s.settings),
    clock: systemClock,
    secrets,
    redact: makeRedactor(knownSecretValues(s.settings, secrets, s.env)),
    owner: `${userInfo().username}@${machineName()} pid ${process.pid}`,
    lockTtlMs: s.settings.lockTtlMs,
    hooks: reportersFor(s, workload, secrets),
  };
}
