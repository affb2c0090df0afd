// What every operation shares: the config as the operator grants it, the credentials, and a loop
// that opens each host once (one SSH connection per host per operation) and always closes it.
import { hostname as machineName, userInfo } from "node:os";
import { basename } from "node:path";
import { type HostSecrets, openHost } from "../adapters/open-host.js";
import { makeProxy, proxyFor } from "../adapters/proxy/index.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { EngineContext } from "../deploy/types.js";
import { TinyforgeError } from "../errors.js";
import { makeRedactor } from "../events/redact.js";
import { systemClock } from "../ports/clock.js";
import type { Host } from "../ports/host.js";
import { type Credentials, credentialValues } from "./credentials.js";
import { type Grants, granted } from "./grants.js";
import { reportersFor } from "./reporters.js";

export interface SessionInputs {
  credentials: Credentials;
  grants: Grants;
  lockTtlMs: number;
  /** Opens a `hosts:` entry (default: SSH or the local engine); tests pass fake hosts. */
  openHost?: (entry: string, secrets: HostSecrets) => Promise<Host>;
}

export interface Session extends SessionInputs {
  /** The repository's config with the operator's grants applied (their hosts, their forge). */
  config: Config;
  dir: string;
  file: string;
}

/** Loads the config and applies the grants; what the grants refuse is config_invalid. */
export async function openSession(
  file: string,
  inputs: SessionInputs,
  /** How the config file is named in messages (the bot: its path in the repo). */
  label = basename(file),
): Promise<Session> {
  const loaded = await loadConfig(file);
  const config = granted(loaded.config, inputs.grants);
  const problems = inputs.grants.problems(config);
  if (problems.length > 0)
    throw new TinyforgeError("config_invalid", `${label}: ${problems.length} error(s) in config`, {
      details: problems,
    });
  return { ...inputs, config, dir: loaded.dir, file: basename(file) };
}

/** Runs fn on each host in turn; fn returns false to stop before the next host. */
export async function forEachHost(s: Session, fn: (host: Host) => Promise<boolean>): Promise<void> {
  // One host at a time, stopping at the first failure: a bad release must not reach them all.
  for (const entry of s.config.hosts) {
    const open = s.openHost ?? openHost;
    const host = await open(entry, { sshKey: s.credentials.sshKey, knownHosts: s.credentials.knownHosts });
    try {
      if (!(await fn(host))) return;
    } finally {
      await host.close();
    }
  }
}

/** The engine's view of one host; with a workload, its granted secrets and its reporters. */
export function engineContext(
  s: Session,
  host: Host,
  scope: { workload?: string; stage?: string } = {},
): EngineContext {
  const secrets = scope.workload ? s.grants.secrets(s.config, scope.workload, scope.stage) : {};
  const redact = makeRedactor([...credentialValues(s.credentials), ...Object.values(secrets)]);
  const p = s.credentials.proxy;
  const proxySecrets = { proxyUser: p.user, proxyPassword: p.password, proxyToken: p.token };
  return {
    config: s.config,
    configDir: s.dir,
    host,
    proxy: makeProxy(s.config, host, proxySecrets),
    proxyFor: (other) => proxyFor(other, host, proxySecrets),
    clock: systemClock,
    secrets,
    redact,
    owner: `${userInfo().username}@${machineName()} pid ${process.pid}`,
    lockTtlMs: s.lockTtlMs,
    hooks: scope.workload ? reportersFor(s.config, s.credentials, scope.workload, redact) : [],
  };
}
