// The deploy message before it starts (queued), after it could not start, as a rollback, with a
// phase and buttons: the same layout as the running message (src/report/slack-message.ts).
import { describe, expect, it } from "vitest";
import type { Button } from "../../../src/ports/notifier.js";
import { pendingMessage, phaseOf, slackMessage } from "../../../src/report/slack-message.js";
import { info, SHA, steps, success } from "./fixtures.js";

const where = { project: "shop", workload: "web", stage: "production" };

describe("pending message", () => {
  it("queued: the running layout, outcome queued, who asked", () => {
    expect(pendingMessage({ ...where, sha: SHA, note: "requested by <@U1>" })).toEqual({
      text: "⏳ Deploying shop/web to production: 0123456 (queued)",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "⏳ Deploying shop/web to production" } },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*Workload*\nweb" },
            { type: "mrkdwn", text: "*Stage*\nproduction" },
            { type: "mrkdwn", text: "*Commit*\n0123456" },
            { type: "mrkdwn", text: "*Strategy*\n…" },
            { type: "mrkdwn", text: "*Outcome*\nqueued" },
            { type: "mrkdwn", text: "*Duration*\n…" },
          ],
        },
        { type: "context", elements: [{ type: "mrkdwn", text: "requested by <@U1>" }] },
      ],
    });
  });

  it("a rollback before it starts does not know its commit yet; no note, no context block", () => {
    const m = pendingMessage({ ...where, tag: "pr-3", kind: "rollback" });
    expect(m.text).toBe("⏳ Rolling back shop/web (pr-3) in production (queued)");
    expect(m.blocks).toHaveLength(2);
    expect(m.blocks[1]).toMatchObject({
      fields: expect.arrayContaining([
        { type: "mrkdwn", text: "*Commit*\nprevious release" },
        { type: "mrkdwn", text: "*Stage*\nproduction (pr-3)" },
      ]),
    });
  });

  it("ended before it started: failed with the public reason, escaped", () => {
    const m = pendingMessage({
      ...where,
      sha: SHA,
      error: { code: "lock_held", message: "<!here> holds the lock" },
    });
    expect(m.text).toBe("❌ Deploy of shop/web to production failed: 0123456");
    expect(m.blocks[1]).toMatchObject({
      fields: expect.arrayContaining([
        { type: "mrkdwn", text: "*Outcome*\nfailed: lock_held: &lt;!here&gt; holds the lock" },
        { type: "mrkdwn", text: "*Duration*\n-" },
      ]),
    });
  });
});

describe("phases", () => {
  it.each([
    [[], "building"],
    [[{ name: "lock", ms: 1, ok: true }], "building"],
    [steps.slice(0, 2), "gating"],
    [[...steps.slice(0, 2), { name: "create", ms: 1, ok: true }], "gating"],
    [steps, "swapping"],
    [[...steps, { name: "route", ms: 1, ok: true }], "swapping"],
    [[...steps.slice(0, 2), { name: "gate", ms: 1, ok: false }], "rolling back"],
  ])("after %j: %s", (done, phase) => {
    expect(phaseOf(done)).toBe(phase);
  });

  it("the running message shows the phase; a rollback reads as one; buttons go last", () => {
    const running = slackMessage({ info, steps: steps.slice(0, 2), phase: "gating" });
    expect(running.blocks[1]).toMatchObject({
      fields: expect.arrayContaining([{ type: "mrkdwn", text: "*Outcome*\ngating" }]),
    });
    const button: Button = {
      type: "button",
      action_id: "x",
      text: { type: "plain_text", text: "Roll back" },
      value: "v",
    };
    const done = slackMessage({
      info,
      steps,
      result: success,
      kind: "rollback",
      note: "by <@U1>",
      buttons: [button],
    });
    expect(done.text).toMatch(/^✅ Rolled back shop\/web in production: 0123456 in 4\.2s /);
    expect(done.blocks.at(-2)).toMatchObject({
      type: "context",
      elements: [expect.anything(), expect.anything(), { type: "mrkdwn", text: "by <@U1>" }],
    });
    expect(done.blocks.at(-1)).toEqual({ type: "actions", elements: [button] });
    expect(
      slackMessage({ info, steps, result: { ...success, outcome: "failed" }, kind: "rollback" }).text,
    ).toMatch(/^❌ Rollback of shop\/web in production failed/);
  });
});
