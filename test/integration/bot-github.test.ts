// The GitHub App end to end: Probot receives real signed payloads from @octokit/webhooks-examples,
// authenticates as the App against the local GitHub fake (JWT → installation token), reads
// tinyforge.yml through the contents API, and deploys on the real engine over sshd. Each test
// checks what it should leave behind: statuses, comments, reactions, containers.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBot } from "../../bot/main.js";
import { FakeGitHub } from "../fakes/github-server.js";
import {
  APP_ID,
  appKeys,
  botConfigFileOf,
  botFor,
  botProject,
  captureLog,
  deliverGitHub,
  githubComment,
  githubPull,
  githubPush,
  INSTALLATION,
  REPO,
  repoConfig,
  sha,
  start,
  until,
} from "./bot-harness.js";
import { docker, get, projectContainers, removeProject } from "./harness.js";

const SECRET = `whsec-${randomBytes(8).toString("hex")}`;
const TOKEN = `ghs_${randomBytes(12).toString("hex")}`;

/** The hidden line the preview comment of a project starts with. */
const marker = (project: string) => `<!-- tinyforge:preview:${project} -->`;

let github: FakeGitHub;
let appEnv: Record<string, string>;
let bots: ReturnType<typeof botFor>;
let bot: RunningBot;
const logs = captureLog();
const images: string[] = [];

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
  bots = botFor("github", appEnv, logs.log);
});

afterAll(async () => {
  await bots?.close();
  await github?.stop();
  for (const p of bots?.projects ?? []) await removeProject(p);
  for (const i of images)
    await docker
      .getImage(i)
      .remove({ force: true })
      .catch(() => undefined);
});

/** This test's project, and the bot (as the module's `bot`) that serves it. */
async function newRepoConfig() {
  const next = await bots.next();
  bot = next.bot;
  return next.rc;
}

const statesOf = (s: string) => github.statuses.filter((x) => x.sha === s).map((x) => x.state);
const running = async (project: string, tag?: string) =>
  (await projectContainers(project)).filter(
    (c) => c.State === "running" && c.Labels["dev.tinyforge.tag"] === tag,
  );

describe("GitHub App bot", () => {
  it("push to main: answers at once, then pending → success on the commit and the container serves it", async () => {
    const rc = await newRepoConfig();
    const s1 = sha();
    github.data.commit(s1, { "tinyforge.yml": rc.yaml("v1") }, "main");
    const r = await deliverGitHub(bot, "push", githubPush(s1), SECRET);
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(2000);
    expect(statesOf(s1)).not.toContain("success"); // the deploy runs after the answer
    await bot.whenIdle();
    const st = github.statuses.filter((x) => x.sha === s1);
    expect(st.map((x) => [x.state, x.context])).toEqual([
      ["pending", "tinyforge"],
      ["success", "tinyforge"],
    ]);
    expect((await get(st[1]!.target_url!)).body).toBe("v1");
    // The App authenticated: JWT → installation token, which the reporters used.
    expect(github.tokensIssued).toBeGreaterThan(0);
    expect(github.deployments.find((d) => d.sha === s1)?.environment).toBe("production");
    expect(await running(rc.project)).toHaveLength(1);

    // A push to a branch no stage deploys, and a tag push: nothing.
    const s2 = sha();
    github.data.commit(s2, { "tinyforge.yml": rc.yaml("v2") });
    expect((await deliverGitHub(bot, "push", githubPush(s2, "docs"), SECRET)).status).toBe(200);
    const tag = { ...githubPush(s2), ref: "refs/tags/v9" };
    expect((await deliverGitHub(bot, "push", tag, SECRET)).status).toBe(200);
    await bot.whenIdle();
    expect(statesOf(s2)).toEqual([]);
  });

  it("pull request opened → synchronize → closed: one comment edited in place, the preview up then gone", async () => {
    const rc = await newRepoConfig();
    const [s1, s2] = [sha(), sha()];
    github.data.commit(s1, { "tinyforge.yml": rc.yaml("v1") });
    github.data.commit(s2, { "tinyforge.yml": rc.yaml("v2") });

    expect((await deliverGitHub(bot, "pull_request", githubPull("opened", 11, s1), SECRET)).status).toBe(200);
    await bot.whenIdle();
    expect(statesOf(s1)).toEqual(["pending", "success"]);
    let comments = github.comments(11);
    expect(comments).toHaveLength(1);
    const first = comments[0]!;
    expect(first.body.startsWith(marker(rc.project))).toBe(true);
    expect(first.body).toContain("`pr-11`");
    expect(first.body).toContain(`\`${s1.slice(0, 7)}\` | ✅ deployed`);
    const url1 = github.statuses.find((x) => x.sha === s1 && x.state === "success")!.target_url!;
    expect(first.body).toContain(url1);
    expect((await get(url1)).body).toBe("v1");
    expect(await running(rc.project, "pr-11")).toHaveLength(1);
    expect(github.deployments.find((d) => d.sha === s1)).toMatchObject({
      environment: "preview/pr-11",
      transient_environment: true,
    });

    expect((await deliverGitHub(bot, "pull_request", githubPull("synchronize", 11, s2), SECRET)).status).toBe(
      200,
    );
    await bot.whenIdle();
    comments = github.comments(11);
    expect(comments).toHaveLength(1); // the same comment, edited: not one per push
    expect(comments[0]!.id).toBe(first.id);
    expect(comments[0]!.history.length).toBeGreaterThan(2);
    expect(comments[0]!.body).toContain(`\`${s2.slice(0, 7)}\` | ✅ deployed`);
    const url2 = github.statuses.find((x) => x.sha === s2 && x.state === "success")!.target_url!;
    expect((await get(url2)).body).toBe("v2");
    expect(await running(rc.project, "pr-11")).toHaveLength(1);

    expect((await deliverGitHub(bot, "pull_request", githubPull("closed", 11, s2), SECRET)).status).toBe(200);
    await bot.whenIdle();
    comments = github.comments(11);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("🧹 removed");
    expect(comments[0]!.body).toContain("The pull request was closed");
    expect(await projectContainers(rc.project)).toEqual([]);
    await expect(get(url2)).rejects.toThrow();
  });

  it("/deploy from a collaborator with write access: 👀 on receipt, the PR head deployed, the result in a reply", async () => {
    const rc = await newRepoConfig();
    const head = sha();
    github.data.commit(head, { "tinyforge.yml": rc.yaml("v1") });
    github.data.pulls.set(12, {
      number: 12,
      state: "open",
      head: { sha: head, ref: "feature-12", repo: REPO },
      base: { ref: "main", repo: REPO },
    });
    github.data.permissions.set("alice", "maintain");
    const r = await deliverGitHub(
      bot,
      "issue_comment",
      githubComment(12, "/deploy web", "alice", 9001),
      SECRET,
    );
    expect(r.status).toBe(200);
    await bot.whenIdle();
    expect(github.data.reactions).toContainEqual({
      commentId: 9001,
      content: "eyes",
      user: "tinyforge[bot]",
    });
    const reply = github.comments(12).find((c) => c.body.startsWith("@alice"));
    expect(reply?.body).toContain("✅ deployed `web` (pr-12) to preview");
    expect(github.comments(12).filter((c) => c.body.startsWith(marker(rc.project)))).toHaveLength(1);
    expect(statesOf(head)).toEqual(["pending", "success"]);
    const url = github.statuses.find((x) => x.sha === head && x.state === "success")!.target_url!;
    expect(reply?.body).toContain(url);
    expect((await get(url)).body).toBe("v1");
  });

  it("/deploy from someone without write access: a polite refusal, nothing runs", async () => {
    const rc = await newRepoConfig();
    const head = sha();
    github.data.commit(head, { "tinyforge.yml": rc.yaml("v1") });
    github.data.pulls.set(13, {
      number: 13,
      state: "open",
      head: { sha: head, ref: "feature-13", repo: REPO },
      base: { ref: "main", repo: REPO },
    });
    github.data.permissions.set("mallory", "triage");
    const contents0 = github.calls(/\/contents\//).length;
    const r = await deliverGitHub(
      bot,
      "issue_comment",
      githubComment(13, "/deploy to production", "mallory", 9002),
      SECRET,
    );
    expect(r.status).toBe(200);
    await bot.whenIdle();
    const comments = github.comments(13);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(
      /^@mallory sorry, only people with write access to octo\/shop can run `\/deploy`/,
    );
    expect(github.data.reactions.filter((x) => x.commentId === 9002)).toEqual([]);
    expect(github.calls(/\/contents\//).length).toBe(contents0); // the config was not even read
    expect(statesOf(head)).toEqual([]);
    expect(await projectContainers(rc.project)).toEqual([]);
  });

  it("a forged or missing signature: 401, nothing runs", async () => {
    const rc = await newRepoConfig();
    const s1 = sha();
    github.data.commit(s1, { "tinyforge.yml": rc.yaml("v1") }, "main");
    const n0 = github.requests.length;
    const payload = githubPush(s1);
    const forged = await deliverGitHub(bot, "push", payload, SECRET, `sha256=${"0".repeat(64)}`);
    const missing = await deliverGitHub(bot, "push", payload, SECRET, null);
    const otherSecret = await deliverGitHub(bot, "push", payload, "not-the-secret");
    expect([forged.status, missing.status, otherSecret.status]).toEqual([401, 401, 401]);
    await bot.whenIdle();
    expect(github.requests.length).toBe(n0);
    expect(statesOf(s1)).toEqual([]);
    expect(await projectContainers(rc.project)).toEqual([]);
  });

  it("a pull request from a fork deploys nothing (forks: false): no API call, no container", async () => {
    const rc = await newRepoConfig();
    const head = sha();
    github.data.commit(head, { "tinyforge.yml": rc.yaml("v1") });
    const n0 = github.requests.length;
    const r = await deliverGitHub(bot, "pull_request", githubPull("opened", 14, head, "evil/shop"), SECRET);
    expect(r.status).toBe(200);
    await bot.whenIdle();
    expect(github.requests.length).toBe(n0);
    expect(github.comments(14)).toEqual([]);
    expect(await projectContainers(rc.project)).toEqual([]);
  });

  it("an invalid tinyforge.yml: a failed status naming the key path, and the PR comment says what to fix", async () => {
    const rc = await newRepoConfig();
    const head = sha();
    const bad = rc.yaml("v1").replace("drain: 100ms", "drain: 100ms\n    deploy_strategy: rolling");
    github.data.commit(head, { "tinyforge.yml": bad });
    await deliverGitHub(bot, "pull_request", githubPull("opened", 15, head), SECRET);
    await bot.whenIdle();
    const st = github.statuses.filter((x) => x.sha === head);
    expect(st).toHaveLength(1);
    expect(st[0]).toMatchObject({ state: "failure", context: "tinyforge" });
    expect(st[0]!.description).toMatch(/^Invalid tinyforge\.yml: workloads\.web\.deploy_strategy: /);
    const comments = github.comments(15);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("**tinyforge.yml is invalid**");
    expect(comments[0]!.body).toContain("workloads.web.deploy_strategy");
    expect(await projectContainers(rc.project)).toEqual([]);
  });

  it("a dockerfile workload: the tree comes from the tarball (302 to codeload) and is built on the host", async () => {
    const rc = await newRepoConfig();
    const s1 = sha();
    const yaml = rc.yaml("v1").replace(/source: image\n\s+image: .*\n/, "source: dockerfile\n");
    github.data.commit(
      s1,
      {
        "tinyforge.yml": yaml,
        Dockerfile:
          'FROM tinyforge/busybox:latest\nCOPY www /www\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
        "www/index.html": "site from the tarball\n",
        "www/healthz": "ok\n",
      },
      "main",
    );
    images.push(`tinyforge/${rc.project}_web:${s1}`);
    await deliverGitHub(bot, "push", githubPush(s1), SECRET);
    await bot.whenIdle();
    expect(statesOf(s1)).toEqual(["pending", "success"]);
    expect(github.calls(/\/tarball\//).length).toBeGreaterThan(0);
    expect(github.calls(/^\/_codeload\//).length).toBeGreaterThan(0);
    // The token went to the API, never to the codeload URL (it carries its own).
    expect(github.calls(/^\/_codeload\//).every((c) => !c.headers.authorization)).toBe(true);
    const url = github.statuses.find((x) => x.sha === s1 && x.state === "success")!.target_url!;
    expect((await get(url)).body).toBe("site from the tarball");
  });

  it("a push of the SHA already serving ends its pending as a success saying so; a push superseded in the queue is not a failure", async () => {
    // A bot of this test's own, so the test knows where its project's state (and lock) lives.
    const rc = repoConfig();
    bots.projects.push(rc.project);
    const shop = botProject("github");
    const own = await start(
      { ...appEnv, TINYFORGE_BOT_CONFIG: botConfigFileOf({ [rc.project]: shop }) },
      logs.log,
    );
    const push = async (s: string, version: "v1" | "v2") => {
      github.data.commit(s, { "tinyforge.yml": rc.yaml(version) }, "main");
      expect((await deliverGitHub(own, "push", githubPush(s), SECRET)).status).toBe(200);
    };
    const statusesOf = (s: string) => github.statuses.filter((x) => x.sha === s);
    try {
      const s1 = sha();
      await push(s1, "v1");
      await own.whenIdle();
      // The branch is pushed back to s1 (a new delivery): it already serves.
      await push(s1, "v1");
      await own.whenIdle();
      const st1 = statusesOf(s1);
      expect(st1.map((x) => x.state)).toEqual(["pending", "success", "pending", "success"]);
      expect(st1[3]!.description).toBe(`Already serving ${s1.slice(0, 7)}: web to production unchanged`);
      expect((await get(st1[3]!.target_url!)).body).toBe("v1");

      // Another process holds the workload's lock: s2 waits in it while s3 queues behind it.
      const locks = join(shop.state_dir, rc.project, "locks", "web.production");
      mkdirSync(locks, { recursive: true });
      const lease = { owner: "ci@elsewhere pid 1", deployId: "01JTESTTESTTESTTESTTESTTES", beat: 0 };
      const at = Date.now();
      writeFileSync(
        join(locks, "gen-1.json"),
        JSON.stringify({
          ...lease,
          acquiredAt: new Date(at).toISOString(),
          expiresAt: at + 3_600_000,
          ttlMs: 3_600_000,
        }),
      );
      const [s2, s3, s4] = [sha(), sha(), sha()];
      await push(s2, "v2");
      await until(() => statusesOf(s2).length > 0, 30_000, "s2's pending");
      await push(s3, "v1");
      await until(() => statusesOf(s3).length > 0, 30_000, "s3's pending (queued behind s2)");
      await push(s4, "v2");
      await until(() => statusesOf(s3).length > 1, 30_000, "s3 superseded");
      rmSync(join(locks, "gen-1.json"));
      await own.whenIdle();
      const st3 = statusesOf(s3);
      expect(st3.map((x) => x.state)).toEqual(["pending", "success"]);
      expect(st3[1]!.description).toBe("Not deployed: a newer push superseded web to production");
      expect(st3[1]!.target_url).toBeUndefined();
      expect(github.deployments.find((d) => d.sha === s3)?.statuses.map((x) => x.state)).toEqual([
        "in_progress",
        "inactive",
      ]);
      expect(statusesOf(s2).map((x) => x.state)).toEqual(["pending", "success"]);
      const st4 = statusesOf(s4);
      expect(st4.map((x) => x.state)).toEqual(["pending", "success"]);
      expect((await get(st4[1]!.target_url!)).body).toBe("v2");
    } finally {
      await own.whenIdle();
      await own.close();
    }
  });
});
