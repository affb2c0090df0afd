// `cancel-bake` at the end of a chat `/deploy` (the CLI's --cancel-bake), in Slack and in a PR
// comment: with or without `force`, in either order; never on a plan or a rollback.
import { describe, expect, it } from "vitest";
import { helpText, parseCommand, usage } from "../../../../bot/chat/grammar.js";
import { parseCommand as parsePr, USAGE } from "../../../../bot/forge/command.js";

describe("Slack: /deploy … cancel-bake", () => {
  const deploy = { kind: "deploy", project: "shop", workload: "web", stage: "production" };

  it.each([
    ["shop/web to production cancel-bake", { ...deploy, cancelBake: true }],
    ["shop/web to production cancel-bake force", { ...deploy, cancelBake: true, force: true }],
    ["shop/web to production force cancel-bake", { ...deploy, cancelBake: true, force: true }],
    ["shop cancel-bake", { kind: "deploy", project: "shop", cancelBake: true }],
    ["shop/web at v2 to production cancel-bake", { ...deploy, ref: "v2", cancelBake: true }],
    // A branch may be called like the word: right after `at` it is the ref.
    ["shop/web at cancel-bake", { kind: "deploy", project: "shop", workload: "web", ref: "cancel-bake" }],
    [
      "shop/web at force cancel-bake",
      { kind: "deploy", project: "shop", workload: "web", ref: "force", cancelBake: true },
    ],
  ])("%j", (text, command) => {
    expect(parseCommand(text)).toEqual({ command });
  });

  it.each([
    [
      "shop/web to production cancel-bake cancel-bake",
      "'cancel-bake' given twice: `/deploy PROJECT[/WORKLOAD] [to STAGE] [at REF]`",
    ],
    [
      "shop/web cancel-bake to production",
      "'cancel-bake' goes last: `/deploy PROJECT[/WORKLOAD] [to STAGE] [at REF] [force] [cancel-bake]`",
    ],
    [
      "plan shop/web to production cancel-bake",
      "a plan changes nothing: `cancel-bake` goes with a deploy: `/deploy plan PROJECT[/WORKLOAD] [to STAGE] [at REF]`",
    ],
    [
      "rollback shop/web production cancel-bake",
      "`cancel-bake` goes with a deploy, not a rollback: `/deploy rollback PROJECT/WORKLOAD [STAGE]`",
    ],
    [
      "rollback shop/web cancel-bake force",
      "`cancel-bake` goes with a deploy, not a rollback: `/deploy rollback PROJECT/WORKLOAD [STAGE]`",
    ],
  ])("%j is an error", (text, error) => {
    expect(parseCommand(text)).toEqual({ error });
  });

  it("help and usage name the word and what it does", () => {
    expect(usage().split("\n")[0]).toBe(
      "`/deploy PROJECT[/WORKLOAD] [to STAGE] [at REF] [force] [cancel-bake]` deploy (default ref: the stage's branch; `force` overrides a freeze; `cancel-bake` ends a bake in progress)",
    );
    expect(helpText()).toContain(
      "`cancel-bake`: a deploy of that workload and stage still baking its release reverts now, then yours runs (`tinyforge deploy --cancel-bake`).",
    );
  });
});

describe("PR comment: /deploy … cancel-bake", () => {
  it.each([
    ["/deploy cancel-bake", { kind: "deploy", cancelBake: true }],
    [
      "/deploy web to production cancel-bake",
      { kind: "deploy", workload: "web", stage: "production", cancelBake: true },
    ],
    [
      "/deploy to production cancel-bake force",
      { kind: "deploy", stage: "production", cancelBake: true, force: true },
    ],
    [
      "/Deploy web to production FORCE Cancel-Bake",
      { kind: "deploy", workload: "web", stage: "production", cancelBake: true, force: true },
    ],
  ])("%j", (body, command) => {
    expect(parsePr(body)).toEqual(command);
  });

  it.each([
    ["/deploy to production cancel-bake cancel-bake", '"cancel-bake" given twice'],
    ["/deploy cancel-bake to production", '"cancel-bake" goes last'],
    ["/deploy plan to production cancel-bake", 'a plan changes nothing: "cancel-bake" goes with a deploy'],
    ["/rollback web production cancel-bake", '"cancel-bake" goes with a deploy, not a rollback'],
    ["/rollback web cancel-bake production", '"cancel-bake" goes with a deploy, not a rollback'],
  ])("%j is an error: %s", (body, why) => {
    expect(parsePr(body)).toEqual({ error: `${why}; try ${USAGE}` });
  });

  it("the usage shows where the word goes", () => {
    expect(USAGE).toContain("`/deploy [WORKLOAD] [to STAGE] [force] [cancel-bake]`");
  });
});
