// A deploy freeze through the bot: set and lifted from a PR comment and from Slack, kept on the
// stage's host, so a push, a PR `/deploy` and a Slack `/deploy` into the frozen stage are each
// refused with the reason (a failed status, a reply) and nothing runs; `force` overrides it (in
// Slack only for users the stage's allow entry names). `/deploy plan` answers without deploying.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBotConfig } from "../../bot/config.js";
import { KeyedQueue } from "../../bot/queue.js";
import { BotRunner, type RepoSource } from "../../bot/runner.js";
import { createSlackHandler, type SlackHandler } from "../../bot/slack/index.js";
import { FakeGitHub, type Recorded } from "../fakes/github-server.js";
import { FakeSlack, sendToApp, slashCommandBody } from "../fakes/slack-server.js";
import {
  APP_ID,
  appKeys,
  botFor,
  captureLog,
  deliverGitHub,
  githubComment,
  githubPush,
  INSTALLATION,
  REPO,
  sha,
} from "./bot-harness.js";
import { fastHealth, projectContainers, removeProject, sshEnv, sshHost, tb } from "./harness.js";
import { uniqueName } from "./testbed.js";

const running = async (project: string) =>
  (await projectContainers(project)).filter((c) => c.State === "running").map((c) => c.Names[0]!.slice(1));

describe("freeze through the GitHub App", () => {
  const SECRET = `whsec-${randomBytes(8).toString("hex")}`;
  const TOKEN = `ghs_${randomBytes(12).toString("hex")}`;
  let github: FakeGitHub;
  let bots: ReturnType<typeof botFor>;

  beforeAll(async () => {
    const keys = appKeys();
    github = await new FakeGitHub(TOKEN, REPO).start();
    github.app = { id: APP_ID, publicKey: keys.publicKey, installationId: INSTALLATION };
    bots = botFor(
      "github",
      {
        APP_ID: String(APP_ID),
        PRIVATE_KEY: keys.privateKey,
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: github.url.replace("http://", ""),
        GHE_PROTOCOL: "http",
      },
      captureLog().log,
    );
  });
  afterAll(async () => {
    await bots?.close();
    await github?.stop();
    for (const p of bots?.projects ?? []) await removeProject(p);
  });

  it("a PR comment freezes production; a push and a PR /deploy are refused with the reason; force overrides; plan answers", async () => {
    const { rc, bot } = await bots.next();
    const head = sha();
    github.data.commit(head, { "tinyforge.yml": rc.yaml("v1") });
    github.data.pulls.set(21, {
      number: 21,
      state: "open",
      head: { sha: head, ref: "feature-21", repo: REPO },
      base: { ref: "main", repo: REPO },
    });
    github.data.permissions.set("alice", "maintain");
    let id = 9100;
    const comment = async (body: string) => {
      const before = github.comments(21).length;
      expect(
        (await deliverGitHub(bot, "issue_comment", githubComment(21, body, "alice", id++), SECRET)).status,
      ).toBe(200);
      await bot.whenIdle();
      return (
        github
          .comments(21)
          .slice(before)
          .find((c) => c.body.startsWith("@alice"))?.body ?? ""
      );
    };

    expect(await comment(`/deploy freeze ${rc.project} production code freeze for the launch`)).toMatch(
      new RegExp(
        `^@alice ❄️ froze ${rc.project} production on .+: frozen: code freeze for the launch \\(by github:alice, until unfrozen\\)`,
      ),
    );
    expect(await comment("/deploy freeze another-project production x")).toContain("not `another-project`");

    // A push to main: pending, then a failure that carries the freeze; nothing runs.
    const pushed = sha();
    github.data.commit(pushed, { "tinyforge.yml": rc.yaml("v1") }, "main");
    expect((await deliverGitHub(bot, "push", githubPush(pushed), SECRET)).status).toBe(200);
    await bot.whenIdle();
    const st = github.statuses.filter((s) => s.sha === pushed);
    expect(st.map((s) => s.state)).toEqual(["pending", "failure"]);
    expect(st[1]!.description).toBe("frozen: code freeze for the launch (by github:alice, until unfrozen)");
    expect(await running(rc.project)).toEqual([]);

    // A PR /deploy into production: the reply says why.
    expect(await comment("/deploy to production")).toContain(
      "❌ deploy failed: frozen: code freeze for the launch (by github:alice, until unfrozen)",
    );
    expect(await running(rc.project)).toEqual([]);

    // plan: what a deploy would do, and that it is frozen; still nothing runs.
    const planned = await comment("/deploy plan to production");
    expect(planned).toContain("(nothing was changed)");
    expect(planned).toContain("frozen:   yes: code freeze for the launch");
    expect(planned).toContain(`image:    ${tb.registry}/tinyforge/web:v1`);
    expect(await running(rc.project)).toEqual([]);

    // force overrides it.
    expect(await comment("/deploy to production force")).toContain("✅ deployed `web` to production");
    expect(await running(rc.project)).toHaveLength(1);

    expect(await comment(`/deploy unfreeze ${rc.project} production`)).toBe(
      `@alice ☀️ unfroze ${rc.project} production.`,
    );
  });
});

describe("freeze through Slack", () => {
  const TOKEN = "xoxb-1111-2222-FreezeBotCanary";
  const SECRET = "8f742231b10e8888abcd99yyyzzz85a6";
  const ALICE = "U0ALICE001"; // production by name (from #deploys); may force
  const BOB = "U0BOB00001"; // staging only through the channel: may deploy, not force
  const DEPLOYS = "C0DEPLOYS1";
  const project = uniqueName("frz");
  const stateDir = mkdtempSync(join(tmpdir(), "tf-state-"));
  const SHA = "7".repeat(40);

  class MemoryRepo implements RepoSource {
    async resolveRef(_repo: string, ref: string): Promise<string> {
      if (!["HEAD", "main", "v1", SHA].includes(ref)) throw new Error(`No commit found for the ref ${ref}`);
      return SHA;
    }
    async readFile(_repo: string, path: string): Promise<string | undefined> {
      if (path !== "tinyforge.yml") return undefined;
      return stringify({
        project,
        stages: { production: { branch: "main" }, staging: { branch: "develop" } },
        workloads: {
          web: {
            source: "image",
            image: `${tb.registry}/tinyforge/web:v1`,
            port: 8080,
            healthcheck: fastHealth,
            drain: "100ms",
            stop_timeout: "1s",
          },
        },
      });
    }
    async fetchTree(): Promise<void> {
      throw new Error("image workloads need no tree");
    }
  }

  const botConfig = parseBotConfig(
    stringify({
      projects: {
        [project]: {
          repo: `octo/${project}`,
          hosts: [sshHost],
          state_dir: stateDir,
          allow: {
            production: { slack_users: [ALICE], slack_channels: [DEPLOYS] },
            staging: { slack_channels: [DEPLOYS] },
          },
        },
      },
    }),
  );
  const slack = new FakeSlack(TOKEN);
  let handler: SlackHandler;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    await slack.start();
    const env = { ...sshEnv, SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN };
    const repo = new MemoryRepo();
    const runner = new BotRunner({ config: botConfig, env, source: () => repo, queue: new KeyedQueue() });
    const quiet = () => {};
    handler = createSlackHandler({
      config: botConfig,
      runner,
      source: () => repo,
      env,
      slackApiUrl: slack.api,
      logger: {
        debug: quiet,
        info: quiet,
        warn: quiet,
        error: quiet,
        setLevel: quiet,
        getLevel: () => "warn" as never,
        setName: quiet,
      },
    });
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/slack/events`;
  });
  afterAll(async () => {
    await handler?.whenIdle();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await slack.stop();
    await removeProject(project);
  });

  async function command(text: string, user = ALICE): Promise<Recorded[]> {
    const before = slack.requests.length;
    const answer = await sendToApp(url, slashCommandBody({ text, user, channel: DEPLOYS }), SECRET);
    expect(answer.status).toBe(200);
    await handler.whenIdle();
    return slack.requests.slice(before);
  }
  const texts = (calls: Recorded[]) => calls.map((c) => String(c.body.text ?? ""));
  const said = (calls: Recorded[]) =>
    `${texts(calls).join("\n")}\n${JSON.stringify(calls.map((c) => c.body.blocks))}`;

  it("freeze refuses a Slack /deploy with the reason; force is for named users; status shows it; unfreeze lifts it", async () => {
    const froze = await command(`freeze ${project} production deploys paused for the migration`);
    expect(texts(froze)).toContainEqual(
      expect.stringMatching(
        new RegExp(`^:snowflake: <@${ALICE}> froze ${project} production: deploys paused for the migration`),
      ),
    );

    const refused = await command(`${project}/web to production at v1`);
    expect(said(refused)).toContain(
      `frozen: deploys paused for the migration (by slack:${ALICE}, until unfrozen)`,
    );
    expect(await running(project)).toEqual([]);

    // Bob may deploy staging through the channel, but not override its freeze.
    await command(`freeze ${project} staging release candidate testing`, BOB);
    const bobForce = await command(`${project}/web to staging at v1 force`, BOB);
    expect(texts(bobForce)).toContainEqual(expect.stringMatching(/^you may not override the freeze of /));
    expect(await running(project)).toEqual([]);

    const status = await command(`status ${project}`);
    expect(said(status)).toContain(":snowflake: *production* is frozen: deploys paused for the migration");
    expect(said(status)).toContain(":snowflake: *staging* is frozen: release candidate testing");

    // plan, to the requester alone: what a deploy would do, that it is frozen; nothing runs.
    const planned = await command(`plan ${project}/web to production at v1`);
    expect(planned.map((c) => c.path)).toEqual(["/api/chat.postEphemeral"]);
    expect(said(planned)).toContain("(nothing was changed)");
    expect(said(planned)).toContain("frozen:   yes: deploys paused for the migration");
    expect(said(planned)).toContain(`image:    ${tb.registry}/tinyforge/web:v1`);
    expect(await running(project)).toEqual([]);

    // Alice is named by production's allow entry: force goes through.
    await command(`${project}/web to production at v1 force`);
    expect(await running(project)).toHaveLength(1);

    const lifted = await command(`unfreeze ${project} production`);
    expect(texts(lifted)).toContainEqual(`:sunny: <@${ALICE}> unfroze ${project} production`);
    const after = await command(`status ${project}`);
    expect(said(after)).not.toContain("*production* is frozen");
  });
});
