// startBot's wiring without a forge: the Slack route exists exactly when SLACK_SIGNING_SECRET is
// set (and goes through bot/slack's own signature check), health says what is enabled.
import { afterEach, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../../../bot/main.js";

let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const quiet = { info() {}, warn() {}, error() {} };

describe("startBot", () => {
  it("mounts the Slack app at POST /slack/events when SLACK_SIGNING_SECRET is set", async () => {
    bot = await startBot(
      {
        PORT: "0",
        SLACK_SIGNING_SECRET: "slack-secret",
        SLACK_BOT_TOKEN: "xoxb-test",
        SLACK_API_URL: "http://127.0.0.1:9/api/",
      },
      { log: quiet },
    );
    expect(bot.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${bot.url}/healthz`)).json()).toMatchObject({
      github: false,
      gitea: false,
      slack: true,
    });
    const unsigned = await fetch(`${bot.url}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "command=%2Fdeploy&text=help",
    });
    expect(unsigned.status).toBe(401);
    expect((await fetch(`${bot.url}/api/github/webhooks`, { method: "POST" })).status).toBe(404);
  });

  it("without a Slack secret there is no Slack route", async () => {
    bot = await startBot(
      { PORT: "0", GITEA_URL: "http://127.0.0.1:9", GITEA_TOKEN: "t", GITEA_WEBHOOK_SECRET: "s" },
      { log: quiet },
    );
    expect((await fetch(`${bot.url}/slack/events`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${bot.url}/api/gitea/webhooks`, { method: "POST", body: "{}" })).status).toBe(401);
  });
});
