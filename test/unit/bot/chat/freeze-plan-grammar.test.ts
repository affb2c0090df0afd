// The freeze, unfreeze, plan and force forms of `/deploy`, in Slack and in a PR comment.
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../../bot/chat/grammar.js";
import { parseCommand as parsePr } from "../../../../bot/forge/command.js";

describe("Slack: freeze, unfreeze, plan and force", () => {
  it.each([
    [
      "freeze shop production release freeze for xmas",
      { kind: "freeze", project: "shop", stage: "production", reason: "release freeze for xmas" },
    ],
    ["unfreeze shop production", { kind: "unfreeze", project: "shop", stage: "production" }],
    ["plan shop/web to staging", { kind: "plan", project: "shop", workload: "web", stage: "staging" }],
    ["plan shop at v1", { kind: "plan", project: "shop", ref: "v1" }],
    [
      "shop/web to production force",
      { kind: "deploy", project: "shop", workload: "web", stage: "production", force: true },
    ],
    [
      "rollback shop/web production force",
      { kind: "rollback", project: "shop", workload: "web", stage: "production", force: true },
    ],
  ])("%j", (text, command) => {
    expect(parseCommand(text)).toEqual({ command });
  });

  it.each([
    ["freeze shop production", "a freeze needs a reason: `/deploy freeze PROJECT STAGE REASON…`"],
    ["freeze shop", "freeze needs a project and a stage: `/deploy freeze PROJECT STAGE REASON…`"],
    ["unfreeze shop production now", "unexpected 'now': `/deploy unfreeze PROJECT STAGE`"],
    ["plan", "plan needs a project: `/deploy plan PROJECT[/WORKLOAD] [to STAGE] [at REF]`"],
  ])("%j is an error", (text, error) => {
    expect(parseCommand(text)).toEqual({ error });
  });

  it("a plan cannot be forced (it changes nothing)", () => {
    expect(parseCommand("plan shop force")).toHaveProperty("error");
  });
});

describe("PR comment: freeze, unfreeze, plan and force", () => {
  it.each([
    [
      "/deploy freeze shop production db migration running",
      { kind: "freeze", project: "shop", stage: "production", reason: "db migration running" },
    ],
    ["/deploy unfreeze shop production", { kind: "unfreeze", project: "shop", stage: "production" }],
    ["/deploy plan", { kind: "plan" }],
    ["/deploy plan web to staging", { kind: "plan", workload: "web", stage: "staging" }],
    ["/deploy to production force", { kind: "deploy", stage: "production", force: true }],
    [
      "/rollback web production force",
      { kind: "rollback", workload: "web", stage: "production", force: true },
    ],
    ["/deploy web", { kind: "deploy", workload: "web" }],
  ])("%j", (body, command) => {
    expect(parsePr(body)).toEqual(command);
  });

  it("a freeze without a reason is an error", () => {
    expect(parsePr("/deploy freeze shop production")).toEqual({
      error: expect.stringMatching(/^a freeze needs a reason; try /),
    });
  });
});
