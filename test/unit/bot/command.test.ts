import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../bot/forge/command.js";

describe("PR comment commands", () => {
  it.each([
    ["/deploy", { kind: "deploy" }],
    ["/deploy web", { kind: "deploy", workload: "web" }],
    ["/deploy to production", { kind: "deploy", stage: "production" }],
    ["/deploy web to production", { kind: "deploy", workload: "web", stage: "production" }],
    ["  /Deploy  web   TO staging  \nthanks!", { kind: "deploy", workload: "web", stage: "staging" }],
    ["/rollback", { kind: "rollback" }],
    ["/rollback web", { kind: "rollback", workload: "web" }],
    ["/rollback web production", { kind: "rollback", workload: "web", stage: "production" }],
    ["/rollback web to production", { kind: "rollback", workload: "web", stage: "production" }],
  ])("%j", (body, want) => {
    expect(parseCommand(body)).toEqual(want);
  });

  it.each(["LGTM", "please /deploy this", "/deployment notes", "", "/deploy-all"])(
    "%j is not a command",
    (body) => {
      expect(parseCommand(body)).toBeUndefined();
    },
  );

  it.each([
    ["/deploy web to", '"to" needs a stage'],
    ["/deploy web api", 'unexpected "api"'],
    ["/deploy web to production now", 'unexpected "now"'],
    ["/deploy $(id)", "is not a workload name"],
    ["/rollback web production extra", 'unexpected "extra"'],
  ])("%j is a command it cannot read: %s", (body, why) => {
    const r = parseCommand(body);
    expect(r && "error" in r && r.error).toContain(why);
    expect(r && "error" in r && r.error).toContain("/deploy [WORKLOAD] [to STAGE]");
  });
});
