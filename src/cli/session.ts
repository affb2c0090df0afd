// What every host-touching command shares: the config, the settings read from env, and a loop
// that opens each host once (one SSH connection per host per command) and always closes it.
import { basename } from "node:path";
import { hostname as machineName, userInfo } from "node:os";
import { openHost } from "../adapters/open-host.js";
import { makeProxy, proxyFor } from "../adapters/proxy/index.js";
import { timedCall, type TraceWrite, traced, traceToStderr } from "../adapters/trace.js";
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
  /** How hosts are opened: a new connection each (default), or the bot's pool (ssh-pool.ts). */
  open?: typeof openHost;
}

export async function openSession(file: string, env: Env): Promise<Session> {
  const { config, dir } = await loadConfig(file);
  return { config, dir, file: basename(file), settings: settingsFromEnv(env), env };
}

/** Runs fn on each host in turn; fn returns false to stop before the next host. */
export async function forEachHost(s: Session, fn: (host: Host) => Promise<boolean>): Promise<void> {
  const open = s.open ?? openHost;
  // One host at a time, stopping at the first failure: a bad release must not reach them all.
  for (const entry of s.config.hosts) {
    const trace = s.settings.trace ? traceToStderr : undefined;
    const opened = await timedCall(`connect ${entry}`, trace, () =>
      open(entry, {
        sshKey: s.settings.sshKey,
        knownHosts: s.settings.knownHosts,
        connectTimeoutMs: s.config.ssh.connect_timeout,
        keepaliveMs: s.config.ssh.keepalive,
      }),
    );
    const host = trace ? tracedHost(opened, trace) : opened;
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
    proxy: s.settings.trace
      ? traced(makeProxy(s.config, host, s.settings), "proxy", traceToStderr)
      : makeProxy(s.config, host, s.settings),
    proxyFor: (p) => proxyFor(p, host, s.settings),
    clock: systemClock,
    secrets,
    redact: makeRedactor(knownSecretValues(s.settings, secrets, s.env)),
    owner: `${userInfo().username}@${machineName()} pid ${process.pid}`,
    lockTtlMs: s.settings.lockTtlMs,
    hooks: reportersFor(s, workload, secrets),
  };
}

/** The host with its Docker API calls, file operations and HTTP probes timed. */
function tracedHost(host: Host, write: TraceWrite): Host {
  const docker = traced(host.docker, "docker", write);
  const files = traced(host.files, "files", write);
  return new Proxy(host, {
    get(t, prop) {
      if (prop === "docker") return docker;
      if (prop === "files") return files;
      const v = Reflect.get(t, prop, t);
      if (prop === "httpGet" && typeof v === "function")
        return traced({ httpGet: v.bind(t) }, "host", write).httpGet;
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
}
