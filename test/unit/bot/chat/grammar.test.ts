// The chat command's grammar: every form, and every error, as exact values.
import { describe, expect, it } from "vitest";
import { helpText, parseCommand, usage } from "../../../../bot/chat/grammar.js";

const form = "`/deploy PROJECT[/WORKLOAD] [to STAGE] [at REF]`";

describe("chat grammar", () => {
  it.each([
    ["shop", { kind: "deploy", project: "shop" }],
    ["shop/web", { kind: "deploy", project: "shop", workload: "web" }],
    ["shop to production", { kind: "deploy", project: "shop", stage: "production" }],
    ["shop/web at v1.2.0", { kind: "deploy", project: "shop", workload: "web", ref: "v1.2.0" }],
    [
      "shop/web to staging at feature/login",
      { kind: "deploy", project: "shop", workload: "web", stage: "staging", ref: "feature/login" },
    ],
    // The clauses in either order, extra spaces as typed on a phone.
    [
      "  shop/web   at 0123abc  to staging ",
      { kind: "deploy", project: "shop", workload: "web", stage: "staging", ref: "0123abc" },
    ],
    ["status shop", { kind: "status", project: "shop" }],
    ["rollback shop/web", { kind: "rollback", project: "shop", workload: "web" }],
    [
      "rollback shop/web production",
      { kind: "rollback", project: "shop", workload: "web", stage: "production" },
    ],
    [
      "rollback shop/web to production",
      { kind: "rollback", project: "shop", workload: "web", stage: "production" },
    ],
    ["help", { kind: "help" }],
    ["", { kind: "help" }],
  ])("%j", (text, command) => {
    expect(parseCommand(text)).toEqual({ command });
  });

  it.each([
    ["shop to", "'to' needs a stage: `/deploy shop to STAGE`"],
    ["shop at", "'at' needs a branch, tag or SHA: `/deploy shop at REF`"],
    ["shop to a to b", `'to' given twice: ${form}`],
    ["shop at a at b", `'at' given twice: ${form}`],
    ["shop now", `unexpected 'now': ${form}`],
    ["shop/web to production please", `unexpected 'please': ${form}`],
    ["Shop", `'Shop' is not a project name (lowercase letters, digits and "-"): ${form}`],
    ["shop/Web_1", `'Web_1' is not a workload name (lowercase letters, digits and "-"): ${form}`],
    ["shop/web/x", `'shop/web/x' is not PROJECT or PROJECT/WORKLOAD: ${form}`],
    ["shop to Prod", `'Prod' is not a stage name (lowercase letters, digits and "-")`],
    ["shop at ..", "'..' is not a branch, tag or SHA"],
    ["shop at -x", "'-x' is not a branch, tag or SHA"],
    ["shop at a..b", "'a..b' is not a branch, tag or SHA"],
    ["shop at main.lock", "'main.lock' is not a branch, tag or SHA"],
    ["status", "status needs a project: `/deploy status PROJECT`"],
    ["status shop web", "unexpected 'web': `/deploy status PROJECT`"],
    ["rollback", "rollback needs PROJECT/WORKLOAD: `/deploy rollback PROJECT/WORKLOAD [STAGE]`"],
    [
      "rollback shop",
      "rollback needs PROJECT/WORKLOAD (which workload of shop?): `/deploy rollback PROJECT/WORKLOAD [STAGE]`",
    ],
    ["rollback shop/web to", "'to' needs a stage: `/deploy rollback PROJECT/WORKLOAD [STAGE]`"],
    ["rollback shop/web production now", "unexpected 'now': `/deploy rollback PROJECT/WORKLOAD [STAGE]`"],
  ])("%j is an error", (text, error) => {
    expect(parseCommand(text)).toEqual({ error });
  });

  it("echoed words cannot become a mention or a link, and are cut short", () => {
    expect(parseCommand("<!channel>")).toEqual({
      error: `'&lt;!channel&gt;' is not a project name (lowercase letters, digits and "-"): ${form}`,
    });
    const long = "x".repeat(100);
    expect(parseCommand(`shop ${long}`)).toEqual({ error: `unexpected '${"x".repeat(39)}…': ${form}` });
  });

  it("names the command as the workspace named it", () => {
    expect(parseCommand("status", "/tf")).toEqual({ error: "status needs a project: `/tf status PROJECT`" });
    expect(usage("/tf").split("\n")).toEqual([
      "`/tf PROJECT[/WORKLOAD] [to STAGE] [at REF] [force] [cancel-bake]` deploy (default ref: the stage's branch; `force` overrides a freeze; `cancel-bake` ends a bake in progress)",
      "`/tf plan PROJECT[/WORKLOAD] [to STAGE] [at REF]` what a deploy would do, touching nothing",
      "`/tf status PROJECT` what serves where",
      "`/tf rollback PROJECT/WORKLOAD [STAGE] [force]` go back to the previous release",
      "`/tf freeze PROJECT STAGE REASON…` refuse every deploy into STAGE · `/tf unfreeze PROJECT STAGE`",
      "`/tf help` this help",
    ]);
    expect(helpText("/tf")).toBe(
      [
        "*tinyforge* deploys from chat:",
        usage("/tf"),
        "Without `to STAGE`: the stage whose branch is REF, else the config's only stage with a branch.",
        "`cancel-bake`: a deploy of that workload and stage still baking its release reverts now, then yours runs (`tinyforge deploy --cancel-bake`).",
        "Who may deploy which stage is set per stage in the bot's config (`allow:`).",
      ].join("\n"),
    );
  });
});
