// Shared by the bot's integration tests: the bot started in-process on 127.0.0.1 port 0 against
// the local forge fakes, real webhook payloads from @octokit/webhooks-examples (moved onto the test
// repository and SHAs, then signed), and tinyforge.yml files whose image workloads come from the
// testbed's registry — deploys go to the real engine over the real sshd.
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { giteaSignature } from "../../bot/gitea/verify.js";
import { githubSignature } from "../../bot/github/verify.js";
import { type RunningBot, startBot } from "../../bot/main.js";
import { fastHealth, sshHost, tb } from "./harness.js";
import { uniqueName } from "./testbed.js";

const require = createRequire(import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: example payloads are edited as plain JSON
export type Payload = Record<string, any>;

const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as Array<{
  name: string;
  examples: Array<Record<string, unknown>>;
}>;

/** A real example payload of `event` (the first one matching `pick`), deep-copied. */
export function example(event: string, pick: (p: Record<string, unknown>) => boolean = () => true) {
  const found = examples.find((e) => e.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no ${event} example`);
  return structuredClone(found) as Payload;
}

export const REPO = "octo/shop";
export const INSTALLATION = 77;
export const APP_ID = 4242;

/** A fresh 40-hex SHA. */
export const sha = () => randomBytes(20).toString("hex");

/** A 2048-bit App key in GitHub's own .pem format (PKCS#1), and its public half for the fake. */
export function appKeys(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
}

export interface RepoConfig {
  project: string;
  /** tinyforge.yml text serving `image` (the registry's web image at that tag). */
  yaml(version: "v1" | "v2" | "unhealthy", extra?: Record<string, unknown>): string;
}

/**
 * A new project's tinyforge.yml, named uniquely (runs of several engineers meet on one engine).
 * The bot deploys it only under that name: start a bot whose config has it (botFor).
 */
export function repoConfig(): RepoConfig {
  const project = uniqueName("bot");
  return {
    project,
    // No hosts or state_dir: where a project deploys is the bot config's (botConfigFile).
    yaml(version, extra = {}) {
      return stringify({
        project,
        stages: { production: { branch: "main" }, preview: { pull_requests: true } },
        workloads: {
          web: {
            source: "image",
            image: `${tb.registry}/tinyforge/web:${version}`,
            port: tb.webPort,
            healthcheck: fastHealth,
            drain: "100ms",
            stop_timeout: "1s",
          },
        },
        ...extra,
      });
    },
  };
}

/** The bot's own config: one project on the given forge, deploying to the testbed's sshd. */
export function botProject(forge: "github" | "gitea", extra: Record<string, unknown> = {}) {
  const state_dir = mkdtempSync(join(tmpdir(), "tf-bot-state-"));
  return { forge, repo: REPO, hosts: [sshHost], state_dir, ...extra };
}

/** The bot's own config file: `projects` as given (botProject for each). */
export function botConfigFileOf(projects: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), "tf-bot-config-")), "bot.yml");
  writeFileSync(file, stringify({ projects }));
  return file;
}

/**
 * The bot's own config file: one project on the given forge, under the name its repository's
 * tinyforge.yml gives (the bot refuses a repo naming another project).
 */
export function botConfigFile(
  forge: "github" | "gitea",
  project: string,
  extra: Record<string, unknown> = {},
): string {
  return botConfigFileOf({ [project]: botProject(forge, extra) });
}

export const sshEnv = {
  TINYFORGE_SSH_KEY_FILE: tb.sshKeyFile,
  TINYFORGE_KNOWN_HOSTS_FILE: tb.knownHostsFile,
};

/** Log lines the bot wrote, for assertions and for a failing test's output. */
export function captureLog() {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (m: string) => lines.push(`info ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
    },
  };
}

/** A started bot: its start-up warm-up (the installation token) done, so a test counts its own calls. */
export async function start(env: Record<string, string>, log = captureLog().log): Promise<RunningBot> {
  const bot = await startBot(
    { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "fatal", ...sshEnv, ...env },
    { log },
  );
  await bot.warmedUp;
  return bot;
}

/**
 * One bot per test project: a test deploys a project of its own (nothing left over from the test
 * before), and the bot deploys a repository only under the name its config gives it, so each
 * test starts a bot whose config serves that test's project. next() closes the previous bot once
 * idle; close() the last one.
 */
export function botFor(
  forge: "github" | "gitea",
  env: Record<string, string>,
  log = captureLog().log,
): { next(): Promise<{ rc: RepoConfig; bot: RunningBot }>; projects: string[]; close(): Promise<void> } {
  const projects: string[] = [];
  let bot: RunningBot | undefined;
  const close = async () => {
    await bot?.whenIdle();
    await bot?.close();
    bot = undefined;
  };
  return {
    projects,
    close,
    async next() {
      await close();
      const rc = repoConfig();
      projects.push(rc.project);
      bot = await start({ ...env, TINYFORGE_BOT_CONFIG: botConfigFile(forge, rc.project) }, log);
      return { rc, bot };
    },
  };
}

export interface Delivery {
  status: number;
  body: string;
  ms: number;
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<Delivery> {
  const t0 = performance.now();
  const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.text(), ms: performance.now() - t0 };
}

/** A GitHub delivery: signed with `secret` unless a signature is given. */
export function deliverGitHub(
  bot: RunningBot,
  event: string,
  payload: unknown,
  secret: string,
  signature?: string | null,
  delivery: string = randomUUID(),
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": delivery,
  };
  const sig = signature === undefined ? githubSignature(secret, body) : signature;
  if (sig !== null) headers["x-hub-signature-256"] = sig;
  return post(`${bot.url}/api/github/webhooks`, headers, body);
}

/** A Gitea delivery: signed with `secret` unless a signature is given. */
export function deliverGitea(
  bot: RunningBot,
  event: string,
  payload: unknown,
  secret: string,
  signature?: string | null,
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-gitea-event": event,
    "x-gitea-delivery": randomUUID(),
  };
  const sig = signature === undefined ? giteaSignature(secret, body) : signature;
  if (sig !== null) headers["x-gitea-signature"] = sig;
  return post(`${bot.url}/api/gitea/webhooks`, headers, body);
}

const repoBlock = (full: string) => {
  const [owner, name] = full.split("/");
  return { full_name: full, name, owner: { login: owner, type: "Organization" } };
};

/** GitHub's push example, onto the test repo's branch and SHA. */
export function githubPush(after: string, branch = "main"): Payload {
  const p = example("push", (x) => String(x.ref).startsWith("refs/heads/") && !!x.installation);
  p.ref = `refs/heads/${branch}`;
  p.after = after;
  p.deleted = false;
  Object.assign(p.repository, repoBlock(REPO));
  p.installation = { id: INSTALLATION };
  return p;
}

/** GitHub's pull_request example for `action`, onto PR `number` of the test repo. */
export function githubPull(action: string, number: number, head: string, headRepo = REPO): Payload {
  const p = example("pull_request", (x) => x.action === action);
  p.number = number;
  p.pull_request.number = number;
  p.pull_request.head.sha = head;
  p.pull_request.head.ref = `feature-${number}`;
  Object.assign(p.pull_request.head.repo, repoBlock(headRepo));
  Object.assign(p.pull_request.base.repo, repoBlock(REPO));
  Object.assign(p.repository, repoBlock(REPO));
  p.installation = { id: INSTALLATION };
  return p;
}

/** GitHub's issue_comment example, as a comment by `login` on PR `number`. */
export function githubComment(number: number, body: string, login: string, id: number): Payload {
  const p = example("issue_comment", (x) => x.action === "created" && !!x.installation);
  p.issue.number = number;
  p.issue.pull_request = { url: `https://api.github.com/repos/${REPO}/pulls/${number}` };
  p.comment.id = id;
  p.comment.body = body;
  p.comment.user.login = login;
  p.sender.login = login;
  Object.assign(p.repository, repoBlock(REPO));
  p.installation = { id: INSTALLATION };
  return p;
}

/** Polls until `check` returns something truthy (a fake recording a call), or fails after `ms`. */
export async function until<T>(
  check: () => T | undefined | false,
  ms = 30_000,
  what = "condition",
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
