// Which stage and workloads an operation means, the same for the CLI, the action and the bot.
import { describe, expect, it } from "vitest";
import { findStage, resolveStage, resolveWorkloads } from "../../../src/app/stages.js";
import { configSchema } from "../../../src/config/schema.js";

const web = { source: "image", image: "x/web:{sha}", port: 8080 } as const;
const withStages = (stages: Record<string, { branch?: string; pull_requests?: boolean }>) =>
  configSchema.parse({ project: "shop", stages, workloads: { web } });
const config = withStages({
  production: { branch: "main" },
  staging: { branch: "develop" },
  preview: { pull_requests: true },
});

const single = withStages({ production: {} });

describe("resolving a stage", () => {
  it("a named stage must exist; the error lists the ones that do", () => {
    expect(resolveStage(config, { stage: "staging" })).toBe("staging");
    expect(() => resolveStage(config, { stage: "prod" })).toThrow(
      'no stage "prod" in the config (have: production, staging, preview)',
    );
  });

  it("names that Object.prototype has are not stages", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(() => resolveStage(config, { stage: name })).toThrow(`no stage "${name}" in the config`);
      expect(() => findStage(config, { stage: name })).toThrow(expect.objectContaining({ code: "usage" }));
    }
  });

  it("a named stage wins over the branch and the pull request", () => {
    expect(resolveStage(config, { stage: "staging", branch: "main", preview: true })).toBe("staging");
  });

  it("a pull request goes to the stage with pull_requests: true", () => {
    expect(resolveStage(config, { preview: true })).toBe("preview");
    expect(() => resolveStage(single, { preview: true, ask: "the stage input" })).toThrow(
      expect.objectContaining({
        message: "a pull request, but no stage has pull_requests: true",
        hint: "add a preview stage with pull_requests: true, or name one with the stage input",
      }),
    );
  });

  it("a push goes to the stage whose branch it is; no stage for the branch is nothing to do", () => {
    expect(findStage(config, { branch: "develop" })).toBe("staging");
    expect(findStage(config, { branch: "wip" })).toBeUndefined();
    expect(() => resolveStage(config, { branch: "wip" })).toThrow("no stage deploys branch wip");
  });

  it("pushes never guess, even with one stage", () => {
    expect(findStage(single, { branch: "wip" })).toBeUndefined();
  });

  it("the CLI takes the only stage; a chat command the only stage with a branch", () => {
    expect(findStage(single, { branch: "wip", guess: "only-stage" })).toBe("production");
    expect(findStage(config, { guess: "only-stage" })).toBeUndefined();
    const oneBranched = withStages({ production: { branch: "main" }, preview: { pull_requests: true } });
    expect(findStage(oneBranched, { guess: "only-branched-stage" })).toBe("production");
    expect(findStage(config, { guess: "only-branched-stage" })).toBeUndefined();
  });

  it("several candidates are not guessed between: the error says how to name one", () => {
    expect(() => resolveStage(config, { branch: "wip", guess: "only-stage", ask: "--stage" })).toThrow(
      expect.objectContaining({
        code: "usage",
        message: "which stage? (have: production, staging, preview)",
        hint: "name one with --stage; no stage has branch: wip",
      }),
    );
  });
});

describe("resolving workloads", () => {
  it("all of them by default; a named one must exist as an own key", () => {
    expect(resolveWorkloads(config, undefined)).toEqual(["web"]);
    expect(resolveWorkloads(config, "web")).toEqual(["web"]);
    expect(() => resolveWorkloads(config, "constructor")).toThrow(
      'no workload "constructor" in the config (have: web)',
    );
  });
});
