// Previews that behave: a pull request's preview waits for its commit's checks (wait_for_checks),
// exists only while it carries the stage's label (preview_label), and goes after preview_ttl
// without a push — through the GitHub App (real @octokit/webhooks-examples payloads against the
// local GitHub fake) and the CLI's reconcile, deploying to the real engine over sshd.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../../bot/main.js";
import type { Clock } from "../../src/ports/clock.js";
import { FakeGitHub } from "../fakes/github-server.js";
import {
  APP_ID,
  appKeys,
  botConfigFile,
  captureLog,
  deliverGitHub,
  example,
  githubPull,
  INSTALLATION,
  REPO,
  type RepoConfig,
  repoConfig,
  sha,
  sshEnv,
  until,
} from "./bot-harness.js";
import { fastHealth, get, makeApp, projectContainers, removeProject, tb } from "./harness.js";

const SECRET = `whsec-${randomBytes(8).toString("hex")}`;
const TOKEN = `ghs_${randomBytes(12).toString("hex")}`;

let github: FakeGitHub;
let appEnv: Record<string, string>;
const projects: string[] = [];
const bots: RunningBot[] = [];
const logs = captureLog();

beforeAll(async () => {
  const keys = appKeys();
  github = await new FakeGitHub(TOKEN, REPO).start();
  github.app = { id: APP_ID, publicKey: keys.publicKey, installationId: INSTALLATION };
  appEnv = {
    APP_ID: String(APP_ID),
    PRIVATE_KEY: keys.privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.url.replace("http://", ""),
    GHE_PROTOCOL: "http",
  };
});

afterAll(async () => {
  for (const b of bots) {
    await b.whenIdle();
    await b.close();
  }
  await github?.stop();
  for (const p of projects) await removeProject(p);
});

/** A bot serving a new project whose preview stage has `preview` settings. */
async function botWith(
  preview: Record<string, unknown>,
  opts: { clock?: Clock; env?: Record<string, string>; rc?: RepoConfig } = {},
): Promise<{ rc: RepoConfig; bot: RunningBot; yaml: (v: "v1" | "v2") => string }> {
  const rc = opts.rc ?? repoConfig();
  if (!projects.includes(rc.project)) projects.push(rc.project);
  const bot = await startBot(
    {
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "fatal",
      ...sshEnv,
      ...appEnv,
      TINYFORGE_BOT_CONFIG: botConfigFile("github", rc.project),
      ...opts.env,
    },
    { log: logs.log, ...(opts.clock ? { clock: opts.clock } : {}) },
  );
  bots.push(bot);
  const yaml = (v: "v1" | "v2") =>
    rc.yaml(v, {
      stages: { production: { branch: "main" }, preview: { pull_requests: true, ...preview } },
    });
  return { rc, bot, yaml };
}

const running = async (project: string, tag: string) =>
  (await projectContainers(project)).filter(
    (c) => c.State === "running" && c.Labels["dev.tinyforge.tag"] === tag,
  );
const ours = (s: string) => github.statuses.filter((x) => x.sha === s && x.context === "tinyforge");
const previewComment = (pr: number, project: string) =>
  github.comments(pr).find((c) => c.body.startsWith(`<!-- tinyforge:preview:${project} -->`));

/** A CI status on the commit, and GitHub's `status` webhook saying so. */
async function ciStatus(bot: RunningBot, s: string, context: string, state: string) {
  github.statuses.push({ sha: s, context, state, description: `${context} ${state}` });
  const p = example("status");
  Object.assign(p, { sha: s, context, state, description: `${context} ${state}` });
  Object.assign(p.repository, { full_name: REPO, name: "shop", owner: { login: "octo" } });
  p.installation = { id: INSTALLATION };
  expect((await deliverGitHub(bot, "status", p, SECRET)).status).toBe(200);
}

/** A completed check run on the commit, and GitHub's `check_run` webhook saying so. */
async function ciCheckRun(bot: RunningBot, s: string, name: string, conclusion: string) {
  github.checkRuns.push({
    id: github.checkRuns.length + 1,
    head_sha: s,
    name,
    status: "completed",
    conclusion,
  });
  const p = example("check_run", (x) => x.action === "completed");
  Object.assign(p.check_run, { head_sha: s, name, status: "completed", conclusion });
  Object.assign(p.repository, { full_name: REPO, name: "shop", owner: { login: "octo" } });
  p.installation = { id: INSTALLATION };
  expect((await deliverGitHub(bot, "check_run", p, SECRET)).status).toBe(200);
}

/** GitHub's labeled / unlabeled example for PR `number`, the PR carrying `labels` afterwards. */
function labelEvent(
  action: "labeled" | "unlabeled",
  number: number,
  head: string,
  label: string,
  labels: string[],
) {
  const p = githubPull(action, number, head);
  p.label = { ...(p.label ?? {}), name: label };
  p.pull_request.labels = labels.map((name, i) => ({ id: i + 1, name, color: "ededed" }));
  return p;
}

describe("previews that behave", () => {
  it("a preview waits for a failing check and never deploys, then deploys when it turns green", async () => {
    const { rc, bot, yaml } = await botWith({ wait_for_checks: true });
    const head = sha();
    github.data.commit(head, { "tinyforge.yml": yaml("v1") });
    github.statuses.push({ sha: head, context: "ci/build", state: "pending" });

    await deliverGitHub(bot, "pull_request", githubPull("opened", 31, head), SECRET);
    await bot.whenIdle();
    expect(await running(rc.project, "pr-31")).toEqual([]);
    expect(previewComment(31, rc.project)?.body).toContain("⏳ waiting for CI: ci/build |");
    expect(ours(head).map((x) => [x.state, x.description])).toEqual([
      ["pending", "Waiting for CI: ci/build"],
    ]);

    // CI fails: a clear note, still nothing deployed.
    await ciStatus(bot, head, "ci/build", "failure");
    await bot.whenIdle();
    expect(await running(rc.project, "pr-31")).toEqual([]);
    expect(previewComment(31, rc.project)?.body).toContain("❌ failed: not deployed: ci/build failed");
    expect(ours(head).at(-1)).toMatchObject({
      state: "failure",
      description: "Not deployed: ci/build failed",
    });
    expect(github.deployments.filter((d) => d.sha === head)).toEqual([]);

    // A re-run goes green (a status), and a check run completes: the deploy starts by itself.
    await ciStatus(bot, head, "ci/build", "success");
    await bot.whenIdle();
    // Every check reported so far is green: it deploys with what it waited for.
    const url = await until(
      () => ours(head).find((x) => x.state === "success")?.target_url,
      60_000,
      "the preview's success",
    );
    expect((await get(url)).body).toBe("v1");
    expect(await running(rc.project, "pr-31")).toHaveLength(1);
    expect(github.deployments.find((d) => d.sha === head)).toMatchObject({
      environment: "preview/pr-31",
      required_contexts: ["ci/build"],
    });
    expect(previewComment(31, rc.project)?.body).toContain("✅ deployed");

    // A new head with a check run awaited by name: held while it is missing or failing.
    const next = sha();
    github.data.commit(next, {
      "tinyforge.yml": rc.yaml("v2", {
        stages: {
          production: { branch: "main" },
          preview: { pull_requests: true, wait_for_checks: ["test"] },
        },
      }),
    });
    await deliverGitHub(bot, "pull_request", githubPull("synchronize", 31, next), SECRET);
    await bot.whenIdle();
    await ciCheckRun(bot, next, "test", "failure");
    await bot.whenIdle();
    expect(ours(next).at(-1)).toMatchObject({ state: "failure", description: "Not deployed: test failed" });
    expect((await get(url)).body).toBe("v1"); // still the last green head's
    await ciCheckRun(bot, next, "test", "success");
    await bot.whenIdle();
    const last = ours(next).at(-1);
    expect(last?.state).toBe("success");
    expect((await get(last!.target_url!)).body).toBe("v2");
    expect(github.deployments.find((d) => d.sha === next)?.required_contexts).toEqual(["test"]);
  });

  it("a preview held for its checks is still held after the bot restarts, and deploys when they turn green", async () => {
    const state = { TINYFORGE_BOT_STATE_DIR: mkdtempSync(join(tmpdir(), "tf-bot-waits-")) };
    const first = await botWith({ wait_for_checks: true }, { env: state });
    const head = sha();
    github.data.commit(head, { "tinyforge.yml": first.yaml("v1") });
    github.statuses.push({ sha: head, context: "ci/build", state: "pending" });
    await deliverGitHub(first.bot, "pull_request", githubPull("opened", 33, head), SECRET);
    await first.bot.whenIdle();
    expect(ours(head).map((x) => x.description)).toEqual(["Waiting for CI: ci/build"]);
    await first.bot.close();

    // A new bot on the same state directory: the green status alone deploys the held head.
    const { rc, bot } = await botWith({ wait_for_checks: true }, { env: state, rc: first.rc });
    const comments = github.comments(33).length;
    await ciStatus(bot, head, "ci/build", "success");
    await bot.whenIdle();
    const url = await until(
      () => ours(head).find((x) => x.state === "success")?.target_url,
      60_000,
      "the held preview's success after the restart",
    );
    expect((await get(url)).body).toBe("v1");
    expect(await running(rc.project, "pr-33")).toHaveLength(1);
    // The waiting note was not written again by the new bot; the one comment was updated.
    expect(ours(head).filter((x) => x.description === "Waiting for CI: ci/build")).toHaveLength(1);
    expect(github.comments(33)).toHaveLength(comments);
    expect(previewComment(33, rc.project)?.body).toContain("✅ deployed");
  });

  it("a labelled preview appears and disappears with its label", async () => {
    const { rc, bot, yaml } = await botWith({ preview_label: "preview" });
    const head = sha();
    github.data.commit(head, { "tinyforge.yml": yaml("v1") });

    // Opened without the label: no preview, not a word on the PR.
    await deliverGitHub(bot, "pull_request", githubPull("opened", 32, head), SECRET);
    await bot.whenIdle();
    expect(await running(rc.project, "pr-32")).toEqual([]);
    expect(github.comments(32)).toEqual([]);
    expect(ours(head)).toEqual([]);

    // Another label: nothing.
    await deliverGitHub(bot, "pull_request", labelEvent("labeled", 32, head, "bug", ["bug"]), SECRET);
    await bot.whenIdle();
    expect(await running(rc.project, "pr-32")).toEqual([]);

    await deliverGitHub(
      bot,
      "pull_request",
      labelEvent("labeled", 32, head, "Preview", ["bug", "Preview"]),
      SECRET,
    );
    await bot.whenIdle();
    expect(await running(rc.project, "pr-32")).toHaveLength(1);
    const url = ours(head).find((x) => x.state === "success")!.target_url!;
    expect((await get(url)).body).toBe("v1");
    expect(previewComment(32, rc.project)?.body).toContain("✅ deployed");

    await deliverGitHub(bot, "pull_request", labelEvent("unlabeled", 32, head, "Preview", ["bug"]), SECRET);
    await bot.whenIdle();
    expect(await projectContainers(rc.project)).toEqual([]);
    await expect(get(url)).rejects.toThrow();
    const body = previewComment(32, rc.project)?.body ?? "";
    expect(body).toContain("🧹 removed");
    expect(body).toContain("The `Preview` label was removed: the preview is torn down.");

    // A push to the PR without the label deploys nothing.
    const s2 = sha();
    github.data.commit(s2, { "tinyforge.yml": yaml("v2") });
    const p = githubPull("synchronize", 32, s2);
    p.pull_request.labels = [{ id: 1, name: "bug", color: "ededed" }];
    await deliverGitHub(bot, "pull_request", p, SECRET);
    await bot.whenIdle();
    expect(await projectContainers(rc.project)).toEqual([]);
  });

  it("an expired preview is torn down by the bot's timer, and its comment says so", async () => {
    // The bot's "now", held still where the test puts it; unset: the real time.
    let fixed: number | undefined;
    const clock: Clock = {
      now: () => fixed ?? Date.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    };
    const { rc, bot, yaml } = await botWith(
      { preview_ttl: "72h" },
      { clock, env: { TINYFORGE_BOT_SWEEP_INTERVAL: "1s" } },
    );
    // The timer reads the project's config at its default branch.
    github.data.commit(sha(), { "tinyforge.yml": yaml("v1") }, "main");
    const [a, b] = [sha(), sha()];
    github.data.commit(a, { "tinyforge.yml": yaml("v1") });
    github.data.commit(b, { "tinyforge.yml": yaml("v2") });
    await deliverGitHub(bot, "pull_request", githubPull("opened", 33, a), SECRET);
    await deliverGitHub(bot, "pull_request", githubPull("opened", 34, b), SECRET);
    await bot.whenIdle();
    expect(await running(rc.project, "pr-33")).toHaveLength(1);
    expect(await running(rc.project, "pr-34")).toHaveLength(1);

    // 71 hours on: a few sweeps, both stay.
    fixed = Date.now() + 71 * 3_600_000;
    await new Promise((r) => setTimeout(r, 2500));
    await bot.whenIdle();
    expect(await running(rc.project, "pr-33")).toHaveLength(1);
    expect(await running(rc.project, "pr-34")).toHaveLength(1);

    // PR 34 gets a push (deployed at the engine's real time, after `pushed`); then, a second short
    // of 72h after that push, PR 33 went 72h without one and PR 34 did not.
    fixed = undefined;
    const b2 = sha();
    github.data.commit(b2, { "tinyforge.yml": yaml("v1") });
    const pushed = Date.now();
    await deliverGitHub(bot, "pull_request", githubPull("synchronize", 34, b2), SECRET);
    await bot.whenIdle();
    fixed = pushed + 72 * 3_600_000 - 1000;
    await until(() => previewComment(33, rc.project)?.body.includes("without a new push"), 30_000, "expiry");
    await bot.whenIdle();
    expect(await running(rc.project, "pr-33")).toEqual([]);
    const body = previewComment(33, rc.project)!.body;
    expect(body).toContain("🧹 removed");
    expect(body).toContain("The preview was torn down after 72h without a new push (preview_ttl).");
    expect(await running(rc.project, "pr-34")).toHaveLength(1);
  });
});

describe("tinyforge reconcile", () => {
  it("tears down previews past preview_ttl and keeps the rest", async () => {
    const app = makeApp(
      {
        web: {
          source: "image",
          image: `${tb.registry}/tinyforge/web:v1`,
          port: tb.webPort,
          healthcheck: fastHealth,
          drain: "100ms",
          stop_timeout: "1s",
        },
      },
      { stages: { production: { branch: "main" }, preview: { pull_requests: true, preview_ttl: "10s" } } },
    );
    projects.push(app.project);
    const s1 = "a".repeat(40);
    expect((await app.cli(["deploy", "--stage", "production", "--sha", s1])).code).toBe(0);
    for (const tag of ["demo", "pr-7"])
      expect((await app.cli(["deploy", "--stage", "preview", "--tag", tag, "--sha", s1])).code).toBe(0);
    const deployed = Date.now();
    const early = await app.cli(["reconcile"]);
    expect(early.code).toBe(0);
    expect(early.stdout).not.toContain("preview_ttl");
    await new Promise((r) => setTimeout(r, Math.max(0, deployed + 10_500 - Date.now())));
    const r = await app.cli(["reconcile"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: web\.preview\.pr-7: no deploy for 10s \(preview_ttl\), torn down: /);
    const left = (await projectContainers(app.project)).map((c) => c.Labels["dev.tinyforge.tag"] ?? "");
    expect(left.sort()).toEqual(["", "demo"]);
  });
});
