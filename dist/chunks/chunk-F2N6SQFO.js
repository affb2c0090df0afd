import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  MAX_DURATION_MS,
  SSH_URL,
  parseDuration,
  yamlDocument
} from "./chunk-6YYFZVAX.js";
import {
  CONNECT_TIMEOUT_MS,
  KEEPALIVE_MS
} from "./chunk-73AJGAF4.js";
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";

// src/app/env.ts
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
var set = (v) => v ? v : void 0;
function textOrFile(env, name) {
  if (env[name]) return env[name];
  const file = env[`${name}_FILE`];
  if (!file) return void 0;
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new TinyforgeError(
      "usage",
      `${name}_FILE: cannot read ${file} (${e.code})`
    );
  }
}
function userKnownHosts(env) {
  try {
    return readFileSync(join(env.HOME || homedir(), ".ssh", "known_hosts"), "utf8");
  } catch {
    return void 0;
  }
}
function lockTtlFromEnv(env) {
  const ttl = env.TINYFORGE_LOCK_TTL_MS ? Number(env.TINYFORGE_LOCK_TTL_MS) : 3e4;
  if (!Number.isFinite(ttl) || ttl < 100)
    throw new TinyforgeError("usage", "TINYFORGE_LOCK_TTL_MS: must be a number of milliseconds \u2265 100");
  return ttl;
}
function forgeFromEnv(env) {
  const kind = env.GITEA_ACTIONS === "true" ? "gitea" : env.GITLAB_CI === "true" ? "gitlab" : void 0;
  const tokens = {};
  if (set(env.GITHUB_TOKEN)) tokens.github = env.GITHUB_TOKEN;
  if (set(env.GITEA_TOKEN)) tokens.gitea = env.GITEA_TOKEN;
  if (set(env.GITLAB_TOKEN)) tokens.gitlab = env.GITLAB_TOKEN;
  const ci = ["GITHUB_ACTIONS", "GITEA_ACTIONS", "GITLAB_CI"].some((n) => env[n] === "true");
  return {
    ...kind ? { kind } : {},
    ...ci ? { ci } : {},
    tokens,
    actions: {
      api: set(env.GITHUB_API_URL),
      repo: set(env.GITHUB_REPOSITORY),
      web: set(env.GITHUB_SERVER_URL)
    },
    gitlab: { api: set(env.CI_API_V4_URL), repo: set(env.CI_PROJECT_PATH), web: set(env.CI_SERVER_URL) }
  };
}
function credentialsFromEnv(env) {
  return {
    sshKey: textOrFile(env, "TINYFORGE_SSH_KEY"),
    knownHosts: textOrFile(env, "TINYFORGE_KNOWN_HOSTS") ?? userKnownHosts(env),
    forge: forgeFromEnv(env),
    notify: {
      slackToken: set(env.SLACK_BOT_TOKEN),
      slackWebhook: set(env.SLACK_WEBHOOK_URL),
      slackApi: set(env.SLACK_API_URL)
    },
    proxy: {
      user: env.TINYFORGE_PROXY_USER,
      password: env.TINYFORGE_PROXY_PASSWORD,
      token: env.TINYFORGE_PROXY_TOKEN
    }
  };
}

// src/app/early-login.ts
import { connect } from "node:net";

// src/adapters/ssh-target.ts
function parseHostTarget(entry) {
  if (entry === "local") return { kind: "local" };
  const m = SSH_URL.exec(entry);
  const port = Number(m?.[3] ?? 22);
  if (!m || port < 1 || port > 65535) {
    throw new TinyforgeError(
      "config_invalid",
      `hosts: must be "local", "ssh://USER@HOST[:PORT][?socket=/PATH]" or "swarm+ssh://USER@MANAGER[:PORT]" (got ${JSON.stringify(entry)})`
    );
  }
  return {
    kind: "ssh",
    user: m[1],
    host: m[2],
    port,
    ...m[4] ? { dockerSocket: m[4] } : {},
    // A Swarm manager: its workloads are services, deployed through the same Docker API (src/swarm).
    ...entry.startsWith("swarm+") ? { swarm: true } : {}
  };
}
function targetName(t) {
  return t.kind === "local" ? "local" : `${t.user}@${t.host}:${t.port}`;
}

// src/adapters/trace.ts
var traceToStderr = (line) => process.stderr.write(line);
function traced(target, label, write) {
  return new Proxy(target, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (typeof v !== "function") return v;
      return (...args) => {
        const t0 = performance.now();
        const r = v.apply(t, args);
        if (!(r instanceof Promise)) return r;
        const done = (how) => write(`trace ${at(t0)} ${label}.${String(prop)}(${brief(args[0])}) ${how}${ms(t0)}
`);
        return r.then(
          (x) => {
            done("");
            return x;
          },
          (e) => {
            done("failed after ");
            throw e;
          }
        );
      };
    }
  });
}
async function timedCall(what, write, fn) {
  if (!write) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    write(`trace ${at(t0)} ${what} ${ms(t0)}
`);
  }
}
function at(t0) {
  return `@${t0.toFixed(0)}`;
}
function ms(t0) {
  return `${(performance.now() - t0).toFixed(1)}ms`;
}
function brief(a) {
  if (a === void 0) return "";
  if (typeof a === "number") return String(a);
  if (typeof a === "string") return a.length > 48 ? `${a.slice(0, 45)}\u2026` : a;
  if (a && typeof a === "object") {
    const named = a.name ?? a.hostname;
    if (typeof named === "string") return named;
  }
  return "\u2026";
}

// src/app/early-login.ts
function loginEarly(text, stage, env, io = {}) {
  const logins = /* @__PURE__ */ new Map();
  try {
    if (text === void 0) return logins;
    const doc = yamlDocument(text);
    if (doc.errors.length > 0) return logins;
    const raw = doc.toJS();
    const stages = raw?.stages && typeof raw.stages === "object" ? raw.stages : {};
    const name = stage ?? (Object.keys(stages).length === 1 ? Object.keys(stages)[0] : io.likelyStage?.(stages));
    if (name === void 0 || !Object.hasOwn(stages, name)) return logins;
    const entries = stages[name]?.hosts ?? raw.hosts;
    const credentials = (io.credentials ?? credentialsFromEnv)(env);
    const connectTimeoutMs = durationOr(raw.ssh?.connect_timeout, CONNECT_TIMEOUT_MS);
    const keepaliveMs = durationOr(raw.ssh?.keepalive, KEEPALIVE_MS);
    if (!Array.isArray(entries) || !credentials.sshKey || !credentials.knownHosts) return logins;
    const secrets = {
      sshKey: credentials.sshKey,
      knownHosts: credentials.knownHosts,
      connectTimeoutMs,
      keepaliveMs
    };
    const targets = [...new Set(entries)].flatMap((entry) => {
      const target = typeof entry === "string" ? targetOf(entry) : void 0;
      return target?.kind === "ssh" ? [{ entry, target }] : [];
    });
    if (targets.length === 0) return logins;
    const { loadClient = loadSshLogin, dial: dialTo = dial } = io;
    const client = loadClient();
    const begun = client.then(
      () => void 0,
      () => void 0
    );
    for (const { entry, target } of targets) {
      const trace = env.TINYFORGE_TRACE === "1" ? traceToStderr : void 0;
      const abort = new AbortController();
      const sock = dialTo(target);
      const cut = () => sock.destroy();
      abort.signal.addEventListener("abort", cut, { once: true });
      const begin = (sshLoginNow) => {
        abort.signal.removeEventListener("abort", cut);
        if (abort.signal.aborted) throw new Error("dropped before the login began");
        return sshLoginNow(target, { ...secrets, privateKey: secrets.sshKey, sock }, abort.signal);
      };
      const started = timedCall(`login ${entry} (early)`, trace, () => client.then(begin));
      started.catch(() => void 0);
      logins.set(entry, { secrets, login: started, begun, abort });
    }
  } catch {
  }
  return logins;
}
function loadSshLogin() {
  return import("./ssh-login-N6RMDHLR.js").then((m) => m.sshLogin);
}
function dial(target) {
  const sock = connect({ host: target.host, port: target.port });
  sock.on("error", () => void 0);
  return sock;
}
function dropEarlyLogins(logins) {
  for (const { login, abort } of logins) {
    abort.abort();
    login.then(
      // The client has loaded by now (it made this login): hang up without waiting on sshd.
      (ssh) => import("./ssh-login-N6RMDHLR.js").then((m) => m.hangUp(ssh)),
      () => void 0
    );
  }
}
function onlyStage(stages, matches) {
  const found = Object.keys(stages).filter((name) => {
    const s = stages[name];
    return s !== null && typeof s === "object" && matches(s);
  });
  return found.length === 1 ? found[0] : void 0;
}
function stageOfBranch(stages, branch) {
  return branch === void 0 ? void 0 : onlyStage(stages, (s) => s.branch === branch);
}
function sameSecrets(a, b) {
  return a.sshKey === b.sshKey && a.knownHosts === b.knownHosts && a.connectTimeoutMs === b.connectTimeoutMs && a.keepaliveMs === b.keepaliveMs;
}
function targetOf(entry) {
  try {
    return parseHostTarget(entry);
  } catch {
    return void 0;
  }
}
function durationOr(value, fallback) {
  if (value === void 0) return fallback;
  const ms2 = typeof value === "string" ? parseDuration(value) : void 0;
  if (ms2 === void 0 || ms2 === 0 || ms2 > MAX_DURATION_MS) throw new Error("not a duration");
  return ms2;
}

export {
  parseHostTarget,
  targetName,
  traceToStderr,
  traced,
  timedCall,
  lockTtlFromEnv,
  credentialsFromEnv,
  loginEarly,
  dropEarlyLogins,
  onlyStage,
  stageOfBranch,
  sameSecrets
};
