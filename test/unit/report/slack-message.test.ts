// The Slack message of a deploy, whole: running, succeeded, failed.
import { describe, expect, it } from "vitest";
import { escapeMrkdwn, slackMessage } from "../../../src/report/slack-message.js";
import { failed, info, SHA, steps, success, superseded, unchanged } from "./fixtures.js";

const commitUrl = `https://github.com/octo/shop/commit/${SHA}`;

describe("Slack message", () => {
  it("while running: what, where, which commit, how far", () => {
    expect(slackMessage({ info, steps: steps.slice(0, 2), commitUrl })).toEqual({
      text: "⏳ Deploying shop/web to production: 0123456",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "⏳ Deploying shop/web to production" } },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*Workload*\nweb" },
            { type: "mrkdwn", text: "*Stage*\nproduction" },
            { type: "mrkdwn", text: `*Commit*\n<${commitUrl}|0123456>` },
            { type: "mrkdwn", text: "*Strategy*\nblue-green" },
            { type: "mrkdwn", text: "*Outcome*\ndeploying (pull done)" },
            { type: "mrkdwn", text: "*Duration*\n…" },
          ],
        },
        {
          type: "context",
          elements: [
            { type: "mrkdwn", text: "✓ lock 12ms · ✓ pull 1.5s" },
            { type: "mrkdwn", text: "deploy 01J0TESTDEPLOY0000000000000 on deploy@203.0.113.10:22" },
          ],
        },
      ],
    });
  });

  it("succeeded: outcome, duration and URL", () => {
    const m = slackMessage({ info, steps: success.steps, result: success, commitUrl });
    expect(m.text).toBe(
      "✅ Deployed shop/web to production: 0123456 in 4.2s http://stage-production-shop.example.com",
    );
    expect(m.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "✅ Deployed shop/web to production" },
    });
    expect(m.blocks[1]).toEqual({
      type: "section",
      fields: [
        { type: "mrkdwn", text: "*Workload*\nweb" },
        { type: "mrkdwn", text: "*Stage*\nproduction" },
        { type: "mrkdwn", text: `*Commit*\n<${commitUrl}|0123456>` },
        { type: "mrkdwn", text: "*Strategy*\nblue-green" },
        { type: "mrkdwn", text: "*Outcome*\nsuccess" },
        { type: "mrkdwn", text: "*Duration*\n4.2s" },
        {
          type: "mrkdwn",
          text: "*URL*\n<http://stage-production-shop.example.com|http://stage-production-shop.example.com>",
        },
      ],
    });
  });

  it("failed: the public reason (never the detail), no URL, the failed step marked", () => {
    const m = slackMessage({
      info: { ...info, tag: "pr-3", stage: "preview" },
      steps: failed.steps,
      result: failed,
    });
    const json = JSON.stringify(m);
    expect(json).not.toContain("CANARY");
    expect(json).not.toContain("*URL*");
    expect(m.text).toBe("❌ Deploy of shop/web (pr-3) to preview failed: 0123456 in 4.2s");
    expect(m.blocks[1]).toMatchObject({
      fields: expect.arrayContaining([
        { type: "mrkdwn", text: "*Stage*\npreview (pr-3)" },
        { type: "mrkdwn", text: "*Commit*\n0123456" },
        {
          type: "mrkdwn",
          text: "*Outcome*\nfailed: health_timeout: GET /healthz did not answer 2xx within 3 attempts",
        },
      ]),
    });
    expect(m.blocks[2]).toMatchObject({
      elements: [{ type: "mrkdwn", text: "✓ lock 12ms · ✓ pull 1.5s · ✗ gate 6.0s" }, expect.anything()],
    });
  });

  it("unchanged: says the commit already serves, with its URL", () => {
    const m = slackMessage({ info, steps: unchanged.steps, result: unchanged });
    expect(m.text).toBe(
      "✅ shop/web already serves this commit in production: 0123456 in 800ms http://stage-production-shop.example.com",
    );
    expect(m.blocks[1]).toMatchObject({
      fields: expect.arrayContaining([{ type: "mrkdwn", text: "*Outcome*\nunchanged: already serves" }]),
    });
  });

  it("superseded: skipped, not failed, with no duration and no URL", () => {
    const m = slackMessage({ info, steps: [], result: superseded });
    expect(m.text).toBe("⏭️ Skipped shop/web to production (superseded by a newer push): 0123456");
    expect(m.blocks[1]).toMatchObject({
      fields: expect.arrayContaining([
        { type: "mrkdwn", text: "*Outcome*\nsuperseded by a newer push: not deployed" },
        { type: "mrkdwn", text: "*Duration*\n-" },
      ]),
    });
    expect(JSON.stringify(m)).not.toMatch(/fail|\*URL\*/i);
  });

  it("user text cannot open a link or a mention", () => {
    expect(escapeMrkdwn("<!channel> & <http://evil|click>")).toBe(
      "&lt;!channel&gt; &amp; &lt;http://evil|click&gt;",
    );
    const hostile = { ...failed, error: { code: "deploy_failed", message: "<!here> see <http://evil|x>" } };
    const m = slackMessage({ info, steps: [], result: hostile });
    expect(JSON.stringify(m)).not.toContain("<!here>");
    expect(JSON.stringify(m)).not.toContain("<http://evil");
  });
});
