// What every operation shares: the config as the operator grants it, the credentials, and the
// way a host is opened once per operation (one SSH connection) and always closed.
import { hostname as machineName, userInfo } from "node:os";
import { basename, dirname, resolve } from "node:path";
import { type HostSecrets, openHost } from "../adapters/open-host.js";
import { makeProxy, proxyFor } from "../adapters/proxy/index.js";
import { timedCall, type TraceWrite, traced, traceToStderr } from "../adapters/trace.js";
import type { Config } from "../config/schema.js";
import type { EngineContext } from "../deploy/types.js";
import { TinyforgeError } from "../errors.js";
import { makeRedactor } from "../events/redact.js";
import { systemClock } from "../ports/clock.js";
import type { Host } from "../ports/host.js";
import { type Credentials, credentialValues } from "./credentials.js";
import { dropEarlyLogins, type EarlyLogin, type EarlyLogins, sameSecrets } from "./early-login.js";
import { type Grants, granted } from "./grants.js";
import { reportersFor } from "./reporters.js";

export interface SessionInputs {
  credentials: Credentials;
  grants: Grants;
  lockTtlMs: number;
  /**
   * Opens a `hosts:` entry (default: a new SSH connection or the local engine each time); the
   * bot passes its pool (ssh-pool.ts), tests pass fake hosts.
   */
  openHost?: (entry: string, secrets: HostSecrets) => Promise<Host>;
  /** TINYFORGE_TRACE=1: time each connect, Docker API call, proxy call and host file on stderr. */
  trace?: boolean;
}

export interface Session extends SessionInputs {
  /** The repository's config with the operator's grants applied (their hosts, their forge). */
  config: Config;
  dir: string;
  file: string;
  /** The bot's unpacked tree, when it builds from one (EngineContext.checkoutRoot). */
  checkoutRoot?: string;
  /** Connections the command holds between uses (`holdConnections`), by `hosts:` entry. */
  held?: Map<string, Promise<Host>>;
}

/** Loads the config and applies the grants; what the grants refuse is config_invalid. */
export async function openSession(
  file: string,
  inputs: SessionInputs,
  /** How the config file is named in messages (the bot: its path in the repo). */
  label = basename(file),
  /**
   * The file's contents when the caller has read them already (a string), or its YAML already
   * parsed (the bot's configText: `{ data }`), validated as the loader would validate the file.
   * Either way the file is not read again. `{ config }`: a config this process validated already
   * from the same text (the bot keeps them, bot/validated-configs.ts), taken as it is.
   */
  read?: string | { data: unknown } | { config: Config },
): Promise<Session> {
  const loaded = await loadedConfig(file, read);
  const config = granted(loaded.config, inputs.grants);
  const problems = inputs.grants.problems(config);
  if (problems.length > 0)
    throw new TinyforgeError("config_invalid", `${label}: ${problems.length} error(s) in config`, {
      details: problems,
    });
  return { ...inputs, config, dir: loaded.dir, file: basename(file) };
}

/**
 * The validator (zod and the schema, tens of ms to load) loads here, on first use, in an import
 * of its own: a deploy's SSH handshake gets the event loop between it and the engine's modules.
 * Imported once: the bot opens a session per trigger, and an `import()` is a trip through the
 * module loader each time it is called, loaded or not.
 */
let validator: Promise<typeof import("../config/load.js")> | undefined;

async function loadedConfig(
  file: string,
  read: string | { data: unknown } | { config: Config } | undefined,
): Promise<{ config: Config; dir: string }> {
  if (typeof read === "object" && "config" in read)
    return { config: read.config, dir: dirname(resolve(file)) };
  validator ??= import("../config/load.js");
  const { loadConfig, validateConfig } = await validator;
  if (typeof read === "object")
    return { config: validateConfig(read.data, file), dir: dirname(resolve(file)) };
  return loadConfig(file, read);
}

/** Runs fn on each of `hosts` in turn; fn returns false to stop before the next host. */
export async function forEachHost(
  s: Session,
  hosts: readonly string[],
  fn: (host: Host) => Promise<boolean>,
): Promise<void> {
  for (const entry of hosts) if (!(await withHost(s, entry, fn))) return;
}

/**
 * For one command: starts opening these hosts now, so that the SSH handshake overlaps what the
 * entry point still does before it needs a host (git, loading the engine, pre-flight checks), and
 * keeps each connection for the command's next use of that host (the freeze check, then the
 * deploy: one login, not two). `release` closes them. A failure to connect is reported by the
 * `withHost` that takes it, as if it had connected itself; a connection whose use failed is closed,
 * never handed on.
 */
export function holdConnections(
  s: Session,
  entries: readonly string[],
  /** Logins the command started before its config was valid (early-login.ts): taken or closed here. */
  early: EarlyLogins = new Map(),
): { release(): Promise<void> } {
  const held = new Map<string, Promise<Host>>();
  const unused = new Map(early);
  for (const entry of new Set(entries)) {
    const head = unused.get(entry);
    const taken = head && !s.openHost && sameSecrets(head.secrets, hostSecrets(s)) ? head : undefined;
    if (taken) unused.delete(entry);
    const opening = open(s, entry, taken);
    opening.catch(() => undefined);
    held.set(entry, opening);
  }
  dropEarlyLogins(unused.values());
  s.held = held;
  return {
    release: async () => {
      if (s.held === held) s.held = undefined;
      const left = [...held.values()];
      held.clear();
      await Promise.all(
        left.map((h) =>
          h.then(
            (host) => host.close(),
            () => undefined,
          ),
        ),
      );
    },
  };
}

/**
 * Opens one `hosts:` entry (one SSH connection), runs fn on it, and closes it — or, while the
 * command holds its connections (`holdConnections`), takes the held one and puts it back after.
 */
export async function withHost<T>(s: Session, entry: string, fn: (host: Host) => Promise<T>): Promise<T> {
  const held = s.held;
  const taken = held?.get(entry);
  held?.delete(entry);
  const opened = await (taken ?? open(s, entry));
  const trace = s.trace ? traceToStderr : undefined;
  const host = trace ? tracedHost(opened, trace) : opened;
  let ok = false;
  try {
    const result = await fn(host);
    ok = true;
    return result;
  } finally {
    // Handed on only when it served well and nobody holds another for this host meanwhile.
    if (ok && held && s.held === held && !held.has(entry)) held.set(entry, Promise.resolve(opened));
    else await host.close();
  }
}

/**
 * Once the engine has loaded and while the config is still being validated: each early login goes
 * on to the first round trips every command makes (the Docker engine's ping, the SFTP channel), so
 * that a valid config finds its hosts ready. Nothing on a host is read or changed; a host the valid
 * config does not take is closed with its login.
 */
export function readyEarlyHosts(early: EarlyLogins): void {
  for (const [entry, e] of early) {
    e.ready ??= openHost(entry, e.secrets, e.login);
    e.ready.catch(() => undefined);
  }
}

function open(s: Session, entry: string, early?: EarlyLogin): Promise<Host> {
  const trace = s.trace ? traceToStderr : undefined;
  if (early) {
    // Taken only with the same SSH settings (sameSecrets), which `ready` was opened with.
    const opening = timedCall(
      `connect ${entry} (login begun early)`,
      trace,
      () => early.ready ?? openHost(entry, hostSecrets(s), early.login),
    );
    // Whatever failed after the login, the login is closed (dispose is idempotent).
    opening.catch(() => dropEarlyLogins([early]));
    return opening;
  }
  const connect = s.openHost ?? openHost;
  return timedCall(`connect ${entry}`, trace, () => connect(entry, hostSecrets(s)));
}

function hostSecrets(s: Session): HostSecrets {
  return {
    sshKey: s.credentials.sshKey,
    knownHosts: s.credentials.knownHosts,
    connectTimeoutMs: s.config.ssh.connect_timeout,
    keepaliveMs: s.config.ssh.keepalive,
  };
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
  const proxy = makeProxy(s.config, host, proxySecrets);
  return {
    config: s.config,
    configDir: s.dir,
    ...(s.checkoutRoot ? { checkoutRoot: s.checkoutRoot } : {}),
    host,
    proxy: s.trace ? traced(proxy, "proxy", traceToStderr) : proxy,
    proxyFor: (other) => proxyFor(other, host, proxySecrets),
    clock: systemClock,
    secrets,
    redact,
    owner: `${userInfo().username}@${machineName()} pid ${process.pid}`,
    lockTtlMs: s.lockTtlMs,
    // The operator's own run: the overlay its config names is theirs to share.
    networks: s.grants.networks ?? {
      allowed: s.config.swarm.network ? [s.config.swarm.network] : [],
      unlabelled: true,
    },
    hooks: scope.workload ? reportersFor(s.config, s.credentials, scope.workload, redact, s.grants) : [],
  };
}

/** A workload's reporters for a stage, before any host is opened (the bot's early "pending"). */
export function reportersOf(s: Session, workload: string, stage: string) {
  const secrets = s.grants.secrets(s.config, workload, stage);
  const redact = makeRedactor([...credentialValues(s.credentials), ...Object.values(secrets)]);
  return reportersFor(s.config, s.credentials, workload, redact, s.grants);
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
