// /deploy from Slack, end to end: Slack-shaped, signed requests (slash commands, a block_actions
// click) into the bot's Slack handler on a plain HTTP server, through Bolt's own verification and
// dispatch; the Web API calls the app makes land on a local Slack fake that records them; deploys
// run on the real engine over sshd. Each test asserts the answer (and that it came within Slack's
// 3 s), the exact Web API calls, and the containers left.
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helpText } from "../../bot/chat/grammar.js";
import { parseBotConfig } from "../../bot/config.js";
import { KeyedQueue } from "../../bot/queue.js";
import { BotRunner, type RepoSource } from "../../bot/runner.js";
import { createSlackHandler, type SlackHandler } from "../../bot/slack/index.js";
import type { Recorded } from "../fakes/github-server.js";
import {
  blockActionsBody,
  FakeSlack,
  type SlackMessage,
  sendToApp,
  slashCommandBody,
  slackSignature,
  TEAM,
} from "../fakes/slack-server.js";
import { fastHealth, get, projectContainers, removeProject, sshEnv, sshHost, tb } from "./harness.js";
import { uniqueName } from "./testbed.js";
import { recordOf } from "./fault-harness.js";
import { slackPermalink } from "../../bot/dashboard/pages.js";
import type { ChatThread } from "../../src/state/model.js";

const TOKEN = "xoxb-1111-2222-SlackBotCanary";
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const ALICE = "U0ALICE001"; // may deploy production (from #deploys) and staging
const BOB = "U0BOB00001"; // staging only
const MALLORY = "U0MALLORY1"; // nothing
const DEPLOYS = "C0DEPLOYS1";

/** A repo on a forge, in memory: refs → commits → tinyforge.yml. Image workloads need no tree. */
class MemoryRepo implements RepoSource {
  readonly refs = new Map<string, string>();
  readonly files = new Map<string, string>();
  /** Every ref resolved: a request that must run nothing must not even read the repo. */
  readonly resolved: string[] = [];

  commit(ref: string, sha: string, config: Record<string, unknown>): void {
    this.refs.set(ref, sha);
    this.files.set(sha, stringify(config));
  }

  async resolveRef(_repo: string, ref: string): Promise<string> {
    this.resolved.push(ref);
    const sha = this.refs.get(ref === "HEAD" ? "main" : ref) ?? (this.files.has(ref) ? ref : undefined);
    if (!sha) throw new Error(`No commit found for the ref ${ref}`);
    return sha;
  }

  async readFile(_repo: string, path: string, sha: string): Promise<string | undefined> {
    return path === "tinyforge.yml" ? this.files.get(sha) : undefined;
  }

  async fetchTree(): Promise<void> {
    throw new Error("image workloads need no tree");
  }
}

const project = uniqueName("slack");
const stateDir = mkdtempSync(join(tmpdir(), "tf-state-"));
const SHA = { v1: "1".repeat(40), main: "2".repeat(40), bad: "3".repeat(40) };
const web = (image: string, extra: Record<string, unknown> = {}) => ({
  source: "image",
  image,
  port: 8080,
  healthcheck: fastHealth,
  drain: "100ms",
  stop_timeout: "1s",
  ...extra,
});
const appConfig = (w: Record<string, unknown>) => ({
  project,
  stages: { production: { branch: "main" }, staging: { branch: "develop" } },
  workloads: { web: w },
});

const repo = new MemoryRepo();
// A tag whose image is named by the ref, the default branch pinned to v2, and a commit whose
// image never passes its gate (GET /healthz answers 404).
repo.commit("v1", SHA.v1, appConfig(web(`${tb.registry}/tinyforge/web:{ref}`)));
repo.commit("main", SHA.main, appConfig(web(`${tb.registry}/tinyforge/web:v2`)));
repo.commit("bad", SHA.bad, appConfig(web("tinyforge/web:unhealthy", { pull: "missing" })));

const botConfig = parseBotConfig(
  stringify({
    projects: {
      [project]: {
        repo: `octo/${project}`,
        hosts: [sshHost],
        state_dir: stateDir,
        allow: {
          production: { slack_users: [ALICE], slack_channels: [DEPLOYS] },
          staging: { slack_users: [ALICE, BOB] },
        },
      },
    },
  }),
);

const env = { ...sshEnv, SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN };
const slack = new FakeSlack(TOKEN);
let handler: SlackHandler;
let server: Server;
let url: string;
const warnings: string[] = [];

beforeAll(async () => {
  await slack.start();
  const runner = new BotRunner({ config: botConfig, env, source: () => repo, queue: new KeyedQueue() });
  handler = createSlackHandler({
    config: botConfig,
    runner,
    source: () => repo,
    env,
    slackApiUrl: slack.api,
    logger: {
      debug: () => {},
      info: () => {},
      warn: (...m) => warnings.push(m.join(" ")),
      error: (...m) => warnings.push(m.join(" ")),
      setLevel: () => {},
      getLevel: () => "warn" as never,
      setName: () => {},
    },
  });
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address() as { port: number };
  url = `http://127.0.0.1:${addr.port}/slack/events`;
});

afterAll(async () => {
  await handler?.whenIdle();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await slack.stop();
  await removeProject(project);
});

/** One /deploy as a person types it; waits for all the work it started. */
async function command(text: string, user = ALICE, channel = DEPLOYS) {
  const before = slack.requests.length;
  const answer = await sendToApp(url, slashCommandBody({ text, user, channel }), SECRET);
  await handler.whenIdle();
  return { answer, calls: slack.requests.slice(before) };
}

async function click(message: SlackMessage, user = ALICE) {
  const before = slack.requests.length;
  const actions = message.blocks.find((b) => (b as { type: string }).type === "actions") as
    | { elements: Array<{ action_id: string; value: string }> }
    | undefined;
  const button = actions?.elements[0];
  if (!button) throw new Error("no button on that message");
  const body = blockActionsBody({
    user,
    channel: message.channel,
    message,
    actionId: button.action_id,
    value: button.value,
  });
  const answer = await sendToApp(url, body, SECRET);
  await handler.whenIdle();
  return { answer, calls: slack.requests.slice(before) };
}

const methods = (calls: Recorded[]) => calls.map((c) => c.path.replace(/^\/api\//, ""));
const field = (m: { blocks: unknown[] }, name: string) =>
  (m.blocks[1] as { fields: Array<{ text: string }> }).fields
    .find((f) => f.text.startsWith(`*${name}*\n`))
    ?.text.slice(name.length + 3);
const messageAt = (ts: unknown) => slack.messages.find((m) => m.ts === ts)!;
const running = async () =>
  (await projectContainers(project)).filter((c) => c.State === "running").map((c) => c.Names[0]!.slice(1));

function expectAckedFast(answer: { status: number; ms: number }) {
  expect(answer.status).toBe(200);
  expect(answer.ms).toBeLessThan(3000);
}

describe("Slack /deploy", () => {
  it("help: answered in the ack, only to the requester; nothing else happens", async () => {
    const { answer, calls } = await command("help", MALLORY);
    expectAckedFast(answer);
    expect(JSON.parse(answer.body)).toEqual({ response_type: "ephemeral", text: helpText("/deploy") });
    expect(calls).toEqual([]);
    expect(await projectContainers(project)).toEqual([]);
  });

  it("a bad or stale signature is 401 and nothing runs", async () => {
    const body = slashCommandBody({
      text: `${project}/web to production at v1`,
      user: ALICE,
      channel: DEPLOYS,
    });
    const before = slack.requests.length;
    const reads = repo.resolved.length;
    const forged = await sendToApp(url, body, SECRET, {
      signature: slackSignature("not-the-secret", 0, body),
    });
    expect(forged.status).toBe(401);
    const wrongBody = await sendToApp(url, body, SECRET, {
      signature: slackSignature(SECRET, Math.floor(Date.now() / 1000), `${body}&x=1`),
    });
    expect(wrongBody.status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 600;
    const replayed = await sendToApp(url, body, SECRET, {
      timestamp: stale,
      signature: slackSignature(SECRET, stale, body),
    });
    expect(replayed.status).toBe(401);
    await handler.whenIdle();
    expect(slack.requests.slice(before)).toEqual([]);
    expect(repo.resolved.length).toBe(reads);
    expect(await projectContainers(project)).toEqual([]);
  });

  it.each(["prod", "constructor"])(
    "an unknown stage (%s) is an ephemeral error naming the stages; nothing runs",
    async (stage) => {
      const { answer, calls } = await command(`${project}/web to ${stage} at v1`);
      expectAckedFast(answer);
      expect(answer.body).toBe("");
      expect(methods(calls)).toEqual(["chat.postEphemeral"]);
      expect(calls[0]!.body).toMatchObject({
        channel: DEPLOYS,
        user: ALICE,
        text: `no stage "${stage}" in the config (have: production, staging)`,
      });
      expect(await projectContainers(project)).toEqual([]);
    },
  );

  it("an unauthorized user is refused, ephemerally, and nothing runs", async () => {
    // Bob may deploy staging, not production: told after the stage is known.
    const bob = await command(`${project}/web to production at v1`, BOB);
    expectAckedFast(bob.answer);
    expect(methods(bob.calls)).toEqual(["chat.postEphemeral"]);
    expect(bob.calls[0]!.body).toMatchObject({
      channel: DEPLOYS,
      user: BOB,
      text: `you may not deploy ${project} to production: <@${BOB}> in this channel is not allowed by projects.${project}.allow.production in the bot's config`,
    });
    // Alice may deploy production only from #deploys.
    const elsewhere = await command(`${project}/web to production at v1`, ALICE, "C0RANDOM01");
    expect(methods(elsewhere.calls)).toEqual(["chat.postEphemeral"]);
    expect(elsewhere.calls[0]!.body).toMatchObject({ user: ALICE, channel: "C0RANDOM01" });
    expect(String(elsewhere.calls[0]!.body.text)).toMatch(/^you may not deploy .* to production: /);
    // Mallory may deploy nothing: refused in the ack itself, the repo never read.
    const reads = repo.resolved.length;
    const mallory = await command(`${project}/web to staging at v1`, MALLORY);
    expectAckedFast(mallory.answer);
    expect(JSON.parse(mallory.answer.body)).toEqual({
      response_type: "ephemeral",
      text: `you may not use ${project} from chat: <@${MALLORY}> in this channel is not allowed by projects.${project}.allow in the bot's config`,
    });
    expect(mallory.calls).toEqual([]);
    expect(repo.resolved.length).toBe(reads);
    expect(await projectContainers(project)).toEqual([]);
  });

  let v1Url = "";
  it("/deploy: one channel message, updated from queued to done, with the URL", async () => {
    const { answer, calls } = await command(`${project}/web to production at v1`);
    expectAckedFast(answer);
    expect(answer.body).toBe("");
    const m = methods(calls);
    expect(m[0]).toBe("chat.postMessage");
    expect(m.slice(1).every((x) => x === "chat.update")).toBe(true);
    // Every call is a version of that one message: queued, started, one per step, finished.
    const msg = slack.messages.at(-1)!;
    expect(m).toHaveLength(msg.history.length);
    expect(calls[0]!.body).toMatchObject({
      channel: DEPLOYS,
      text: `⏳ Deploying ${project}/web to production: 1111111 (queued)`,
    });
    expect(calls.slice(1).every((c) => c.body.channel === msg.channel && c.body.ts === msg.ts)).toBe(true);
    const outcomes = msg.history.map((h) => field(h, "Outcome"));
    expect(outcomes[0]).toBe("queued");
    expect(outcomes.at(-1)).toBe("success");
    // Each phase in order, each shown at least once.
    const phases = [...new Set(outcomes)];
    expect(phases).toEqual(["queued", "building", "gating", "swapping", "success"]);
    expect(msg.text).toMatch(
      new RegExp(`^✅ Deployed ${project}/web to production: 1111111 in \\S+ http://`),
    );
    v1Url = field(msg, "URL")!.replace(/^<([^|]+)\|.*$/, "$1");
    expect((await get(v1Url)).body).toBe("v1");
    // The first release replaced nothing: no Roll back button.
    expect(msg.blocks.some((b) => (b as { type: string }).type === "actions")).toBe(false);
    expect((msg.blocks[2] as { elements: Array<{ text: string }> }).elements.at(-1)!.text).toBe(
      `requested by <@${ALICE}>`,
    );
    expect(await running()).toHaveLength(1);
    // Its record keeps the message, and the dashboard's deploy page links to that thread.
    const rec = recordOf({ stateDir, project }, SHA.v1);
    expect(rec?.thread).toEqual({ channel: msg.channel, ts: msg.ts, domain: TEAM.domain });
    expect(slackPermalink(rec!.thread as ChatThread)).toBe(
      `https://${TEAM.domain}.slack.com/archives/${msg.channel}/p${String(msg.ts).replace(".", "")}`,
    );
  });

  it("status: what serves, answered to the requester only", async () => {
    const { answer, calls } = await command(`status ${project}`);
    expectAckedFast(answer);
    expect(methods(calls)).toEqual(["chat.postEphemeral"]);
    expect(calls[0]!.body).toMatchObject({
      channel: DEPLOYS,
      user: ALICE,
      text: `What serves in ${project}: 1 instance`,
    });
    const blocks = calls[0]!.body.blocks as Array<{ text: { text: string } }>;
    expect(blocks[1]!.text.text).toMatch(
      new RegExp(
        `^\\*web\\* · production: running \`1111111\` <${v1Url}\\|${v1Url}> since \\d{4}-\\d\\d-\\d\\dT`,
      ),
    );
    expect(await running()).toHaveLength(1);
  });

  let v2Message: SlackMessage;
  it("/deploy without `at` deploys the stage's branch; a success that replaced a release gets a Roll back button", async () => {
    const { calls } = await command(`${project} to production`);
    v2Message = messageAt(slack.messages.at(-1)!.ts);
    expect(calls[0]!.body).toMatchObject({
      text: `⏳ Deploying ${project}/web to production: 2222222 (queued)`,
    });
    expect(field(v2Message, "Outcome")).toBe("success");
    const actions = v2Message.blocks.at(-1) as { type: string; elements: Array<Record<string, unknown>> };
    expect(actions.type).toBe("actions");
    expect(actions.elements[0]).toMatchObject({
      type: "button",
      action_id: "tinyforge_rollback",
      text: { type: "plain_text", text: "Roll back" },
      style: "danger",
    });
    expect(JSON.parse(String(actions.elements[0]!.value))).toEqual({
      p: project,
      w: "web",
      s: "production",
      h: SHA.main,
    });
    const url = field(v2Message, "URL")!.replace(/^<([^|]+)\|.*$/, "$1");
    expect((await get(url)).body).toBe("v2");
    expect(await running()).toHaveLength(1);
  });

  it("the Roll back button: same authorization; an allowed click rolls back in a new live message", async () => {
    const refused = await click(v2Message, BOB);
    expectAckedFast(refused.answer);
    expect(methods(refused.calls)).toEqual(["chat.postEphemeral"]);
    expect(String(refused.calls[0]!.body.text)).toMatch(/^you may not deploy .* to production: /);
    expect((await get(v1Url).catch(() => ({ body: "" }))).body).not.toBe("v1"); // v2 still serves

    const { answer, calls } = await click(v2Message);
    expectAckedFast(answer);
    expect(answer.body).toBe("");
    const m = methods(calls);
    expect(m[0]).toBe("chat.postMessage");
    expect(m.slice(1).every((x) => x === "chat.update")).toBe(true);
    expect(calls[0]!.body).toMatchObject({
      channel: DEPLOYS,
      text: `⏳ Rolling back ${project}/web in production (queued)`,
    });
    const msg = messageAt(slack.messages.at(-1)!.ts);
    expect(msg.ts).not.toBe(v2Message.ts);
    expect(msg.text).toMatch(new RegExp(`^✅ Rolled back ${project}/web in production: 1111111 in `));
    expect((msg.blocks[2] as { elements: Array<{ text: string }> }).elements.at(-1)!.text).toBe(
      `rollback requested by <@${ALICE}> with the Roll back button`,
    );
    expect(field(msg, "Outcome")).toBe("success");
    const url = field(msg, "URL")!.replace(/^<([^|]+)\|.*$/, "$1");
    expect((await get(url)).body).toBe("v1");
    expect(await running()).toHaveLength(1);

    // The same button again: its release no longer serves, so the click does nothing.
    const stale = await click(v2Message);
    expect(methods(stale.calls)).toEqual(["chat.postEphemeral"]);
    expect(String(stale.calls[0]!.body.text)).toMatch(
      /^nothing rolled back: 2222222 no longer serves .* \(1111111 serves now\)/,
    );
    expect((await get(url)).body).toBe("v1");
  });

  it("/deploy rollback deploys the release before the serving one", async () => {
    // v2 again, so that the release before the serving one is v1: rollbacks walk back, never forward.
    const again = await command(`${project} to production`);
    expect(field(messageAt(slack.messages.at(-1)!.ts), "Outcome")).toBe("success");
    expect(again.calls[0]!.body).toMatchObject({
      text: `⏳ Deploying ${project}/web to production: 2222222 (queued)`,
    });

    const { answer, calls } = await command(`rollback ${project}/web production`);
    expectAckedFast(answer);
    const m = methods(calls);
    expect(m[0]).toBe("chat.postMessage");
    expect(m.slice(1).every((x) => x === "chat.update")).toBe(true);
    const msg = messageAt(slack.messages.at(-1)!.ts);
    expect(msg.history[0]!.text).toBe(`⏳ Rolling back ${project}/web in production (queued)`);
    expect(msg.text).toMatch(new RegExp(`^✅ Rolled back ${project}/web in production: 1111111 in `));
    expect((msg.blocks[2] as { elements: Array<{ text: string }> }).elements.at(-1)!.text).toBe(
      `rollback requested by <@${ALICE}>`,
    );
    const url = field(msg, "URL")!.replace(/^<([^|]+)\|.*$/, "$1");
    expect((await get(url)).body).toBe("v1");
    expect(await running()).toHaveLength(1);
  });

  it("a failing deploy: the message ends failed, the public reason goes in its thread, the old release still serves", async () => {
    const before = (await projectContainers(project)).map((c) => c.Names[0]!.slice(1));
    const { answer, calls } = await command(`${project}/web to production at bad`);
    expectAckedFast(answer);
    const m = methods(calls);
    expect(m[0]).toBe("chat.postMessage");
    expect(m.at(-1)).toBe("chat.postMessage");
    expect(m.slice(1, -1).every((x) => x === "chat.update")).toBe(true);
    const main = slack.messages.filter((x) => !x.thread_ts).at(-1)!;
    expect(main.text).toMatch(new RegExp(`^❌ Deploy of ${project}/web to production failed: 3333333 in `));
    expect(field(main, "Outcome")).toMatch(/^failed: health_timeout: /);
    expect(main.blocks.some((b) => (b as { type: string }).type === "actions")).toBe(false);
    const reply = slack.messages.at(-1)!;
    expect(reply.thread_ts).toBe(main.ts);
    expect(calls.at(-1)!.body).toMatchObject({ channel: DEPLOYS, thread_ts: main.ts });
    expect(reply.text).toMatch(/^\*Why it failed \(at gate\):\* health_timeout: /);
    expect(reply.text).toContain(`${before[0]} still serves.`);
    expect(await running()).toEqual(before);
    const url = field(
      messageAt(slack.messages.filter((x) => x.text.startsWith("✅")).at(-1)!.ts),
      "URL",
    )!.replace(/^<([^|]+)\|.*$/, "$1");
    expect((await get(url)).body).toBe("v1");
    expect(warnings.filter((w) => w.startsWith("slack:") && !w.includes("refused a request"))).toEqual([]);
  });
});
