// The JSON webhook's document, exactly: public fields only.
import { describe, expect, it } from "vitest";
import { makeRedactor } from "../../../src/events/redact.js";
import { WebhookReporter, webhookPayload } from "../../../src/report/webhook.js";
import { failed, info, SHA, success } from "./fixtures.js";

describe("webhook payload", () => {
  it("says what was deployed where, and how it went", () => {
    expect(webhookPayload(info, success)).toEqual({
      event: "deploy.finished",
      deployId: "01J0TESTDEPLOY0000000000000",
      project: "shop",
      workload: "web",
      stage: "production",
      tag: null,
      sha: SHA,
      ref: "main",
      strategy: "blue-green",
      host: "deploy@203.0.113.10:22",
      outcome: "success",
      url: "http://stage-production-shop.example.com",
      container: "shop-web-production-01j0",
      previous: "shop-web-production-01hz",
      durationMs: 4200,
      steps: success.steps,
      error: null,
    });
  });

  it("a failure carries its code and public message, never the detail or hint", () => {
    expect(webhookPayload(info, failed).error).toEqual({
      code: "health_timeout",
      message: "GET /healthz did not answer 2xx within 3 attempts",
    });
    expect(JSON.stringify(webhookPayload(info, failed))).not.toContain("CANARY");
  });

  it("every string passes the redactor", async () => {
    const sent: unknown[] = [];
    const secret = 'p@ss"word\\with-escapes';
    const r = new WebhookReporter({ send: async (p) => void sent.push(p) }, makeRedactor([secret]));
    const leaky = { ...failed, error: { code: "deploy_failed", message: `boom ${secret}` } };
    await r.finished(info, leaky);
    expect(JSON.stringify(sent)).not.toContain("word");
    expect(sent[0]).toMatchObject({ error: { message: "boom ***" } });
  });
});
