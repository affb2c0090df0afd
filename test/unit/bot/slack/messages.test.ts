// The Slack app's own messages, whole: the Roll back button and its value, the failure reply,
// status, the note under a deploy.
import { describe, expect, it } from "vitest";
import {
  buttonsFor,
  failureReply,
  parseRollbackValue,
  ROLLBACK_ACTION,
  requestNote,
  rollbackButton,
  statusMessage,
} from "../../../../bot/slack/messages.js";
import type { InstanceStatus } from "../../../../src/deploy/status.js";
import { failed, SHA, success } from "../../report/fixtures.js";

describe("the Roll back button", () => {
  it("is a danger button with a confirmation, its value naming what to roll back from", () => {
    expect(rollbackButton({ project: "shop", workload: "web", stage: "production", sha: SHA })).toEqual({
      type: "button",
      action_id: ROLLBACK_ACTION,
      text: { type: "plain_text", text: "Roll back" },
      style: "danger",
      value: `{"p":"shop","w":"web","s":"production","h":"${SHA}"}`,
      confirm: {
        title: { type: "plain_text", text: "Roll back?" },
        text: { type: "plain_text", text: "Deploy the release before this one of shop/web in production." },
        confirm: { type: "plain_text", text: "Roll back" },
        deny: { type: "plain_text", text: "Cancel" },
      },
    });
  });

  it("round-trips its value, and refuses anything it did not write", () => {
    const t = { project: "shop", workload: "web", stage: "preview", tag: "pr-12", sha: SHA };
    expect(parseRollbackValue(rollbackButton(t).value)).toEqual(t);
    for (const junk of [
      undefined,
      42,
      "not json",
      "[]",
      '{"p":"shop","w":"web"}',
      '{"p":"Shop","w":"web","s":"production"}',
      '{"p":"shop","w":"web","s":"production","h":"zzz"}',
      '{"p":"shop","w":"web","s":"production","t":"../x"}',
      `{"p":"shop","w":"web","s":"production","x":"${"a".repeat(600)}"}`,
    ])
      expect(parseRollbackValue(junk)).toBeUndefined();
  });

  it("shows only under a success that replaced a release", () => {
    expect(buttonsFor("shop", success)).toEqual([
      rollbackButton({ project: "shop", workload: "web", stage: "production", sha: SHA }),
    ]);
    expect(buttonsFor("shop", { ...success, previous: null })).toEqual([]);
    expect(buttonsFor("shop", { ...success, outcome: "unchanged" })).toEqual([]);
    expect(buttonsFor("shop", failed)).toEqual([]);
  });
});

describe("the failure reply", () => {
  it("says why (the public message, never the detail), at which step, what still serves, what to do", () => {
    const { code, message, hint } = failed.error!;
    const m = failureReply({ code, message, hint }, { ...failed, previous: "shop-web-production-01hz" });
    const text = [
      "*Why it failed (at gate):* health_timeout: GET /healthz did not answer 2xx within 3 attempts",
      "shop-web-production-01hz still serves.",
      "_look at the container's log_",
    ].join("\n");
    expect(m).toEqual({ text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] });
    expect(JSON.stringify(m)).not.toContain("CANARY");
  });

  it("a failure before any step: the reason alone, with markup escaped", () => {
    expect(failureReply({ code: "lock_held", message: "<!here> holds it" }).text).toBe(
      "*Why it failed:* lock_held: &lt;!here&gt; holds it",
    );
  });
});

describe("status", () => {
  const row: InstanceStatus = {
    host: "deploy@203.0.113.10:22",
    workload: "web",
    stage: "production",
    tag: null,
    sha: SHA,
    container: "shop-web-production-01j0",
    state: "running",
    url: "http://stage-production-shop.example.com",
    deployId: "01J0TESTDEPLOY0000000000000",
    deployedAt: "2025-01-02T03:04:05.678Z",
    releases: 2,
  };

  it("one line per instance", () => {
    expect(
      statusMessage("shop", [row, { ...row, stage: "preview", tag: "pr-3", state: "missing", url: null }]),
    ).toEqual({
      text: "What serves in shop: 2 instances",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "What serves in shop" } },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: [
              "*web* · production: running `0123456` <http://stage-production-shop.example.com|http://stage-production-shop.example.com> since 2025-01-02T03:04:05Z",
              "*web* · preview (pr-3): missing `0123456` since 2025-01-02T03:04:05Z",
            ].join("\n"),
          },
        },
      ],
    });
  });

  it("nothing deployed; several hosts named; long lists cut", () => {
    expect(statusMessage("shop", []).text).toBe("What serves in shop: nothing deployed yet");
    const two = statusMessage("shop", [row, { ...row, host: "deploy@203.0.113.11:22" }]);
    expect(JSON.stringify(two)).toContain("[deploy@203.0.113.11:22]");
    const many = statusMessage(
      "shop",
      Array.from({ length: 45 }, (_, i) => ({ ...row, tag: `t${i}` })),
    );
    expect(many.blocks).toHaveLength(1 + 5);
    expect(JSON.stringify(many.blocks.at(-1))).toContain("… and 5 more (`tinyforge status` lists all)");
  });
});

it("the note under a deploy names who asked, by a checked Slack ID only", () => {
  expect(requestNote("deploy", "U0ALICE001")).toBe("requested by <@U0ALICE001>");
  expect(requestNote("rollback", "U0ALICE001")).toBe("rollback requested by <@U0ALICE001>");
  expect(requestNote("rollback", "W0ALICE001", "button")).toBe(
    "rollback requested by <@W0ALICE001> with the Roll back button",
  );
  expect(requestNote("deploy", "U1> <!channel")).toBe("requested by someone");
});
