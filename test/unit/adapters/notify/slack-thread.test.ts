// The bot's extra Slack calls through the same notifier: a reply in a message's thread, and a
// message only one user sees; failures read as the call plus Slack's error word.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackApiNotifier } from "../../../../src/adapters/notify/slack-api.js";
import type { ChatMessage } from "../../../../src/ports/notifier.js";
import { FakeSlack } from "../../../fakes/slack-server.js";

const TOKEN = "xoxb-1111-2222-ThreadCanary";
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

const api = () => new SlackApiNotifier(TOKEN, "C0DEPLOYS1", slack.api, 300);

describe("Slack Web API, for the bot", () => {
  it("replies in the thread of a posted message", async () => {
    const n = api();
    const ref = (await n.post(msg("❌ failed")))!;
    const reply = await n.reply(ref, msg("why"));
    expect(reply).toEqual({ channel: "C0DEPLOYS1", ts: expect.stringMatching(/^1700000000\.\d{6}$/) });
    expect(slack.messages.find((m) => m.ts === reply!.ts)).toMatchObject({ text: "why", thread_ts: ref.ts });
    expect(slack.calls(/chat\.postMessage$/).at(-1)!.body).toMatchObject({
      channel: "C0DEPLOYS1",
      thread_ts: ref.ts,
    });
    await expect(n.reply({ channel: "C0DEPLOYS1", ts: "1.2" }, msg("x"))).rejects.toThrow(
      /^chat\.postMessage: thread_not_found$/,
    );
  });

  it("posts an ephemeral message to one user", async () => {
    await api().postEphemeral("U0ALICE001", msg("only you"));
    expect(slack.ephemerals.at(-1)).toEqual({
      channel: "C0DEPLOYS1",
      user: "U0ALICE001",
      ...msg("only you"),
    });
    slack.mode = 404;
    await expect(api().postEphemeral("U0ALICE001", msg("x"))).rejects.toThrow(
      /^chat\.postEphemeral: channel_not_found$/,
    );
  });
});
