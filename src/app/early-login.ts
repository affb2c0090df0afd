// A head start for one CLI command: the SSH logins to the stage's hosts begin from the config
// file's raw YAML, before the program has loaded its validator and engine (a few hundred ms of
// module loading on a small machine), so the handshake runs while they load. Only a head start:
// `holdConnections` takes a login once the config is valid and names that host with the same SSH
// settings, and closes the others at once (mid-handshake too). A login that failed is reported
// then, by the command that needs that host, as if it had logged in itself. Before the config is
// valid, the hosts it names get a login with the operator's pinned keys and, once the engine has
// loaded (`readyEarlyHosts`), the two channels every command opens first: the Docker engine asked
// whether it answers, the SFTP channel opened. Nothing is read or changed. The module loads without Docker's client or
// the validator, which is the point, and without the SSH client too: the TCP connection is made
// first and sshd forks, reads its keys and sends its banner (tens of ms) while ssh2 loads.
import { connect, type Socket } from "node:net";
import type { NodeSSH } from "node-ssh";
import type { HostSecrets } from "../adapters/open-host.js";
import type { Host } from "../ports/host.js";
import type { sshLogin } from "../adapters/ssh-login.js";
import { CONNECT_TIMEOUT_MS, KEEPALIVE_MS } from "../adapters/ssh-bounds.js";
import { parseHostTarget } from "../adapters/ssh-target.js";
import { timedCall, traceToStderr } from "../adapters/trace.js";
import { MAX_DURATION_MS, parseDuration } from "../config/duration.js";
import { yamlDocument } from "../config/yaml-document.js";
import { credentialsFromEnv, type Env } from "./env.js";

export interface EarlyLogin {
  /** What the login used: a validated config must ask for the same to take it. */
  secrets: HostSecrets;
  login: Promise<NodeSSH>;
  /** Settles once the SSH client has loaded and taken the connection over (or the login failed). */
  begun: Promise<void>;
  /** Drops the connection, mid-handshake too: an unused login never holds the command open. */
  abort: AbortController;
  /** The host on that login, its engine asked and its SFTP channel opened (session.ts). */
  ready?: Promise<Host>;
}

/** By `hosts:` entry. */
export type EarlyLogins = Map<string, EarlyLogin>;

/**
 * Starts logging in to each SSH host of the stage (`--stage`, or the config's only stage); none
 * when the file, the stage or a setting is not plain enough to tell without validating — the
 * command then connects as it always did.
 */
export function loginEarly(
  /** The config file's contents (read once: `-c /dev/stdin` has no second reading). */
  text: string | undefined,
  stage: string | undefined,
  env: Env,
  io: {
    /** Tests pass their own; by default the SSH client is loaded now, beside the TCP connects. */
    loadClient?: () => Promise<typeof sshLogin>;
    dial?: typeof dial;
    /** The key and pins the command will log in with (the action's inputs come before the env's). */
    credentials?: (env: Env) => { sshKey?: string; knownHosts?: string };
    /** With no stage named and several in the file: the one the run will most likely pick, if any. */
    likelyStage?: (stages: Record<string, unknown>) => string | undefined;
  } = {},
): EarlyLogins {
  const logins: EarlyLogins = new Map();
  try {
    if (text === undefined) return logins;
    // What is wrong with the file is the validator's to say, once (from this same document).
    const doc = yamlDocument(text);
    if (doc.errors.length > 0) return logins;
    const raw = doc.toJS() as RawConfig;
    const stages = raw?.stages && typeof raw.stages === "object" ? raw.stages : {};
    const name =
      stage ?? (Object.keys(stages).length === 1 ? Object.keys(stages)[0] : io.likelyStage?.(stages));
    if (name === undefined || !Object.hasOwn(stages, name)) return logins;
    const entries = stages[name]?.hosts ?? raw.hosts;
    const credentials = (io.credentials ?? credentialsFromEnv)(env);
    const connectTimeoutMs = durationOr(raw.ssh?.connect_timeout, CONNECT_TIMEOUT_MS);
    const keepaliveMs = durationOr(raw.ssh?.keepalive, KEEPALIVE_MS);
    if (!Array.isArray(entries) || !credentials.sshKey || !credentials.knownHosts) return logins;
    const secrets = {
      sshKey: credentials.sshKey,
      knownHosts: credentials.knownHosts,
      connectTimeoutMs,
      keepaliveMs,
    };
    const targets = [...new Set(entries)].flatMap((entry) => {
      const target = typeof entry === "string" ? targetOf(entry) : undefined;
      return target?.kind === "ssh" ? [{ entry: entry as string, target }] : [];
    });
    if (targets.length === 0) return logins;
    const { loadClient = loadSshLogin, dial: dialTo = dial } = io;
    const client = loadClient();
    // One SSH client for all the logins: each has begun once it has loaded.
    const begun = client.then(
      () => undefined,
      () => undefined,
    );
    for (const { entry, target } of targets) {
      const trace = env.TINYFORGE_TRACE === "1" ? traceToStderr : undefined;
      const abort = new AbortController();
      const sock = dialTo(target);
      // Dropped before the SSH client has it: the bare connection is closed here. Once the login
      // has it, the login's own abort handling is the one (it lets go after the handshake).
      const cut = () => sock.destroy();
      abort.signal.addEventListener("abort", cut, { once: true });
      const begin = (sshLoginNow: typeof sshLogin) => {
        abort.signal.removeEventListener("abort", cut);
        if (abort.signal.aborted) throw new Error("dropped before the login began");
        return sshLoginNow(target, { ...secrets, privateKey: secrets.sshKey, sock }, abort.signal);
      };
      const started = timedCall(`login ${entry} (early)`, trace, () => client.then(begin));
      // Its failure is for whoever takes it; an unused one must not become an unhandled rejection.
      started.catch(() => undefined);
      logins.set(entry, { secrets, login: started, begun, abort });
    }
  } catch {
    // Unreadable, not YAML, a bad entry or setting: the validator says what, in its own words.
  }
  return logins;
}

/** The SSH client's code (ssh2, half a megabyte): loaded once the connections are under way. */
function loadSshLogin(): Promise<typeof sshLogin> {
  return import("../adapters/ssh-login.js").then((m) => m.sshLogin);
}

/**
 * The TCP connection, opened before the SSH client has loaded; the login takes it over. Its errors
 * are the login's to report (ssh2 connects again when this one has already failed).
 */
export function dial(target: { host: string; port: number }): Socket {
  // Nothing is written on it before sshLogin takes it over, and sets Nagle off there.
  const sock = connect({ host: target.host, port: target.port });
  sock.on("error", () => undefined);
  return sock;
}

/** Closes the logins nobody took, at once: one still shaking hands is cut off. */
export function dropEarlyLogins(logins: Iterable<EarlyLogin>): void {
  for (const { login, abort } of logins) {
    abort.abort();
    login.then(
      // The client has loaded by now (it made this login): hang up without waiting on sshd.
      (ssh) => import("../adapters/ssh-login.js").then((m) => m.hangUp(ssh)),
      () => undefined,
    );
  }
}

/** The one raw stage `matches` accepts; none when several or none do (the validator decides then). */
export function onlyStage(
  stages: Record<string, unknown>,
  matches: (stage: { branch?: unknown; pull_requests?: unknown }) => boolean,
): string | undefined {
  const found = Object.keys(stages).filter((name) => {
    const s = stages[name];
    return s !== null && typeof s === "object" && matches(s);
  });
  return found.length === 1 ? found[0] : undefined;
}

/** The one stage whose raw `branch` is `branch` (none when several are, or the branch is unknown). */
export function stageOfBranch(
  stages: Record<string, unknown>,
  branch: string | undefined,
): string | undefined {
  return branch === undefined ? undefined : onlyStage(stages, (s) => s.branch === branch);
}

/** Same SSH settings as a validated config asks for: only then may a command take the login. */
export function sameSecrets(a: HostSecrets, b: HostSecrets): boolean {
  return (
    a.sshKey === b.sshKey &&
    a.knownHosts === b.knownHosts &&
    a.connectTimeoutMs === b.connectTimeoutMs &&
    a.keepaliveMs === b.keepaliveMs
  );
}

interface RawConfig {
  hosts?: unknown;
  stages?: Record<string, { hosts?: unknown } | null>;
  ssh?: { connect_timeout?: unknown; keepalive?: unknown };
}

/** The entry as an SSH target, or undefined when it is not one the validator would accept. */
function targetOf(entry: string) {
  try {
    return parseHostTarget(entry);
  } catch {
    return undefined;
  }
}

function durationOr(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = typeof value === "string" ? parseDuration(value) : undefined;
  // What the validator refuses is not guessed at here (and 0 would mean no bound at all).
  if (ms === undefined || ms === 0 || ms > MAX_DURATION_MS) throw new Error("not a duration");
  return ms;
}
