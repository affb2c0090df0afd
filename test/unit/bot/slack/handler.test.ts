// The Slack handler without the engine: construction errors, Slack's own handshakes, and every
// answer given in the ack itself (nothing reaches the runner or the repo).
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helpText } from "../../../../bot/chat/grammar.js";
import { parseBotConfig } from "../../../../bot/config.js";
import type { BotRunner, RepoSource } from "../../../../bot/runner.js";
import { createSlackHandler, type SlackHandler } from "../../../../bot/slack/index.js";
import {
  blockActionsBody,
  FakeSlack,
  sendToApp,
  slashCommandBody,
  slackSignature,
} from "../../../fakes/slack-server.js";

const TOKEN = "xoxb-1111-2222-UnitCanary";
const SECRET = "unit-signing-secret-0123456789";
const config = parseBotConfig(
  "projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n    allow:\n      production: { slack_users: [U1] }\n",
);
// Nothing here may reach the engine or the forge: both throw if asked.
const runner = new Proxy({}, { get: () => () => Promise.reject(new Error("runner used")) }) as BotRunner;
const touched: string[] = [];
const source = (): RepoSource => ({
  resolveRef: async (_r, ref) => {
    touched.push(ref);
    throw new Error("repo used");
  },
  readFile: async () => undefined,
  fetchTree: async () => {},
});
const env = { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN };
const quiet = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => "error" as never,
  setName: () => {},
};

const slack = new FakeSlack(TOKEN);
let handler: SlackHandler;
let server: Server;
let url: string;
beforeAll(async () => {
  await slack.start();
  handler = createSlackHandler({ config, runner, source, env, slackApiUrl: slack.api, logger: quiet });
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Any path: the bot's server decides where the handler is mounted.
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mounted/elsewhere`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await slack.stop();
});

const send = (body: string, sign = {}) => sendToApp(url, body, SECRET, sign);
const command = (text: string, user = "U1") => send(slashCommandBody({ text, user, channel: "C1" }));

describe("createSlackHandler", () => {
  it("fails fast without its secrets, saying what to set", () => {
    const deps = { config, runner, source, logger: quiet };
    expect(() => createSlackHandler({ ...deps, env: { SLACK_BOT_TOKEN: TOKEN } })).toThrow(
      "SLACK_SIGNING_SECRET is not set",
    );
    expect(() => createSlackHandler({ ...deps, env: { SLACK_SIGNING_SECRET: SECRET } })).toThrow(
      "SLACK_BOT_TOKEN is not set",
    );
    expect(() => createSlackHandler({ ...deps, env, slackApiUrl: "http://169.254.169.254/api/" })).toThrow(
      /^SLACK_API_URL: refused 169\.254\.169\.254/,
    );
  });
});

describe("answers in the ack", () => {
  it("Slack's URL verification and SSL check", async () => {
    const challenge = JSON.stringify({
      type: "url_verification",
      token: "x",
      challenge: "3eZbrw1aBm2rZgRNFdxV",
    });
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)),
        "x-slack-signature": slackSignature(SECRET, Math.floor(Date.now() / 1000), challenge),
      },
      body: challenge,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV" });
    // Slack's SSL check is unsigned; a payload smuggled next to it is dropped.
    const ssl = await sendToApp(
      url,
      `ssl_check=1&${slashCommandBody({ text: "shop", user: "U1", channel: "C1" })}`,
      SECRET,
      {
        signature: "v0=nope",
      },
    );
    expect(ssl.status).toBe(200);
    expect(ssl.body).toBe("");
  });

  it("a missing, forged or stale signature is 401", async () => {
    const body = slashCommandBody({ text: "help", user: "U1", channel: "C1" });
    expect((await send(body, { signature: "v0=0000" })).status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 301;
    expect((await send(body, { timestamp: old, signature: slackSignature(SECRET, old, body) })).status).toBe(
      401,
    );
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(res.status).toBe(401);
  });

  it.each([
    ["help", helpText()],
    ["", helpText()],
    ["shop/web to", "'to' needs a stage: `/deploy shop/web to STAGE`\n(`/deploy help` shows every form)"],
    ["blog", "unknown project 'blog'; projects: shop"],
    // Names are own keys of the bot config only, never found through the prototype.
    ["constructor", "unknown project 'constructor'; projects: shop"],
    ["tostring/web", "unknown project 'tostring'; projects: shop"],
  ])("%j", async (text, reply) => {
    const a = await command(text);
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toEqual({ response_type: "ephemeral", text: reply });
  });

  it("someone no stage allows: refused in the ack, the repo never read", async () => {
    const a = await command("shop to production", "U9");
    expect(JSON.parse(a.body)).toEqual({
      response_type: "ephemeral",
      text: "you may not use shop from chat: <@U9> in this channel is not allowed by projects.shop.allow in the bot's config",
    });
    await handler.whenIdle();
    expect(touched).toEqual([]);
    expect(slack.requests).toEqual([]);
  });

  it("a button whose value we did not write: acked, then told, nothing run", async () => {
    const body = blockActionsBody({
      user: "U1",
      channel: "C1",
      message: { ts: "1700000000.000001", text: "x", blocks: [] },
      actionId: "tinyforge_rollback",
      value: '{"p":"other","w":"web","s":"production"}',
    });
    const a = await send(body);
    expect(a.status).toBe(200);
    expect(a.body).toBe("");
    await handler.whenIdle();
    expect(slack.ephemerals).toEqual([
      {
        channel: "C1",
        user: "U1",
        text: "this button no longer names a project this bot serves",
        blocks: [
          {
            type: "section",
            text: { type: "mrkdwn", text: "this button no longer names a project this bot serves" },
          },
        ],
      },
    ]);
    expect(touched).toEqual([]);
  });
});
