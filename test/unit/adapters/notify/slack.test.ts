// Slack (bot token and incoming webhook) and the JSON webhook against local fakes: what arrives,
// and that every failure reads as the call plus an HTTP status or Slack's error word.
import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { JsonWebhook } from "../../../../src/adapters/notify/json-webhook.js";
import { SlackApiNotifier } from "../../../../src/adapters/notify/slack-api.js";
import { SlackWebhookNotifier } from "../../../../src/adapters/notify/slack-webhook.js";
import type { ChatMessage } from "../../../../src/ports/notifier.js";
import { FakeSlack, WEBHOOK_PATH } from "../../../fakes/slack-server.js";

const TOKEN = "xoxb-1111-2222-SlackCanaryToken";
const slack = new FakeSlack(TOKEN);
const msg = (text: string): ChatMessage => ({
  text,
  blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
});

beforeAll(() => slack.start());
afterAll(() => slack.stop());
afterEach(() => {
  slack.mode = "ok";
});

const api = (token = TOKEN) => new SlackApiNotifier(token, "#deploys", slack.api, 300);

describe("Slack Web API", () => {
  it("posts once and updates that same message", async () => {
    const n = api();
    const ref = await n.post(msg("deploying"));
    expect(ref).toEqual({ channel: "C0TESTCHAN1", ts: expect.stringMatching(/^1700000000\.\d{6}$/) });
    await n.update(ref!, msg("deployed"));
    const m = slack.messages.find((x) => x.ts === ref!.ts)!;
    expect(m.history.map((h) => h.text)).toEqual(["deploying", "deployed"]);
    expect(m.blocks).toEqual(msg("deployed").blocks);
    const post = slack.calls(/chat\.postMessage$/).at(-1)!;
    expect(post.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(post.body).toMatchObject({ channel: "#deploys", text: "deploying", unfurl_links: "false" });
  });

  it.each([
    [401, "chat.postMessage: invalid_auth"],
    [403, "chat.postMessage: missing_scope"],
    [404, "chat.postMessage: channel_not_found"],
    [422, "chat.postMessage: invalid_blocks"],
    [500, "chat.postMessage answered HTTP 500"],
  ] as const)("mode %s reads %j", async (mode, text) => {
    slack.mode = mode;
    await expect(api().post(msg("x"))).rejects.toThrow(new RegExp(`^${text}$`));
  });

  it("a wrong token is Slack's invalid_auth", async () => {
    await expect(api("xoxb-wrong").post(msg("x"))).rejects.toThrow("chat.postMessage: invalid_auth");
  });

  it("an error word carrying the token is not repeated", async () => {
    slack.mode = "reflect";
    const err = await api()
      .post(msg("x"))
      .catch((e: Error) => e);
    expect((err as Error).message).toBe("chat.postMessage: not ok");
    expect(JSON.stringify(err)).not.toContain(TOKEN);
  });

  it("does not wait for a Slack that never answers", async () => {
    slack.mode = "hang";
    const t0 = Date.now();
    await expect(api().post(msg("x"))).rejects.toThrow(/^chat\.postMessage: no answer in time$/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("updating a message Slack does not know is message_not_found", async () => {
    await expect(api().update({ channel: "C0TESTCHAN1", ts: "1.2" }, msg("x"))).rejects.toThrow(
      "chat.update: message_not_found",
    );
  });

  it("refuses a metadata API URL before any request", () => {
    expect(() => new SlackApiNotifier(TOKEN, "#d", "http://169.254.169.254/api/", 300)).toThrow(/link-local/);
  });
});

describe("Slack incoming webhook", () => {
  it("posts the message as JSON and cannot update", async () => {
    const n = new SlackWebhookNotifier(slack.webhookUrl, 300);
    expect(n.updatable).toBe(false);
    expect(await n.post(msg("deployed"))).toBeUndefined();
    expect(slack.webhookPosts.at(-1)).toEqual({ text: "deployed", blocks: msg("deployed").blocks });
  });

  it("a wrong hook is Slack's 404, and the URL (the credential) is not repeated", async () => {
    const url = `${slack.url}${WEBHOOK_PATH.replace("x9y8", "0000")}`;
    const err = await new SlackWebhookNotifier(url, 300).post(msg("x")).catch((e: Error) => e);
    expect((err as Error).message).toBe("incoming webhook answered HTTP 404");
  });

  it("HTTP 500 names the status", async () => {
    slack.mode = 500;
    await expect(new SlackWebhookNotifier(slack.webhookUrl, 300).post(msg("x"))).rejects.toThrow(
      /^incoming webhook answered HTTP 500$/,
    );
  });
});

describe("JSON webhook", () => {
  let server: Server;
  let url = "";
  const got: Array<{ type: string | undefined; body: unknown }> = [];
  let status = 204;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = "";
      req.on("data", (c) => (text += c));
      req.on("end", () => {
        got.push({ type: req.headers["content-type"], body: JSON.parse(text) });
        if (status === 0) return; // hang
        res.writeHead(status).end("secret-ish upstream body");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("POSTs the payload as JSON", async () => {
    status = 204;
    await new JsonWebhook(url, 300).send({ event: "deploy.finished", outcome: "success" });
    expect(got.at(-1)).toEqual({
      type: "application/json",
      body: { event: "deploy.finished", outcome: "success" },
    });
  });

  it("a failure names the status; a hang ends at the timeout", async () => {
    status = 502;
    await expect(new JsonWebhook(url, 300).send({})).rejects.toThrow(/^endpoint answered HTTP 502$/);
    status = 0;
    await expect(new JsonWebhook(url, 200).send({})).rejects.toThrow(/^endpoint: no answer within 200ms$/);
  });
});
