// The bake's figures in every report: the commit status description, the Slack message, the PR
// comment's row and the reply to /deploy. Pure builders, compared exactly.
import { describe, expect, it } from "vitest";
import { isDeploy, replyLines, rowOf } from "../../../bot/forge/text.js";
import type { BakeFigures } from "../../../src/deploy/bake-figures.js";
import type { DeployResult } from "../../../src/deploy/types.js";
import { commitStatus } from "../../../src/report/commit-status.js";
import { slackMessage } from "../../../src/report/slack-message.js";
import { info, success } from "./fixtures.js";

const held: BakeFigures = {
  verdict: "held",
  forMs: 120_000,
  ms: 120_400,
  probes: 120,
  ok: 120,
  p50Ms: 12,
  p99Ms: 41,
  summary: "soak 120/120 ok, p50 12 ms, p99 41 ms",
};
const baked: DeployResult = { ...success, bake: held };
const failedBake: DeployResult = {
  ...success,
  outcome: "failed",
  url: null,
  container: null,
  bake: {
    ...held,
    verdict: "failed",
    ok: 9,
    probes: 18,
    summary: "soak 9/18 ok, p50 4 ms, p99 9 ms (error rate 50% over 1%)",
  },
  error: {
    code: "bake_failed",
    message:
      "bake failed: soak 9/18 ok, p50 4 ms, p99 9 ms (error rate 50% over 1%); reverted to shop-web-production-01hz",
  },
};
const noRedaction = (s: string) => s;

describe("bake figures in reports", () => {
  it("the commit status leads with them, on success and on failure", () => {
    expect(commitStatus(info, baked, "tinyforge", 140, noRedaction).description).toBe(
      "Deployed web to production, soak 120/120 ok, p50 12 ms, p99 41 ms",
    );
    expect(commitStatus(info, failedBake, "tinyforge", 140, noRedaction).description).toMatch(
      /^Deploy of web to production failed: bake failed: soak 9\/18 ok, p50 4 ms, p99 9 ms/,
    );
  });

  it("the Slack message has a Bake field", () => {
    const fields = JSON.stringify(slackMessage({ info, steps: baked.steps, result: baked }).blocks);
    expect(fields).toContain(
      JSON.stringify({ type: "mrkdwn", text: "*Bake*\nsoak 120/120 ok, p50 12 ms, p99 41 ms" }),
    );
    const none = JSON.stringify(slackMessage({ info, steps: success.steps, result: success }).blocks);
    expect(none).not.toContain("*Bake*");
  });

  it("the PR comment's row and the /deploy reply carry them", () => {
    expect(isDeploy(baked)).toBe(true);
    expect(rowOf(baked, baked.sha).detail).toBe("in 4.2s; soak 120/120 ok, p50 12 ms, p99 41 ms");
    expect(replyLines("deploy", [baked])[0]).toBe(
      "✅ deployed `web` to production at `0123456` in 4.2s (soak 120/120 ok, p50 12 ms, p99 41 ms): http://stage-production-shop.example.com",
    );
    expect(rowOf(failedBake, failedBake.sha).detail).toMatch(/^bake failed: soak 9\/18 ok/);
  });
});
