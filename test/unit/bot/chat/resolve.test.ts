// What a chat command names, resolved against the bot's config and the repo's stages.
import { describe, expect, it } from "vitest";
import { accept } from "../../../../bot/chat/accept.js";
import { allowedStages, mayDeploy, refusal } from "../../../../bot/chat/authorize.js";
import { helpText } from "../../../../bot/chat/grammar.js";
import { checkWorkload, findProject, pickRef, pickStage } from "../../../../bot/chat/resolve.js";
import { parseBotConfig } from "../../../../bot/config.js";

const config = parseBotConfig(`
projects:
  shop:
    repo: octo/shop
    hosts: [local]
    allow:
      production: { slack_users: [U1], slack_channels: [C1] }
      staging: { slack_users: [U1, U2] }
      qa: { slack_channels: [C2] }
      dev: {}
  blog:
    repo: octo/blog
    hosts: [local]
`);
const shop = config.projects.shop!;
const stages = { production: { branch: "main" }, staging: { branch: "develop" }, preview: {} };

describe("stage and ref", () => {
  it.each([
    [{ stage: "staging" }, { stage: "staging" }],
    [{ stage: "prod" }, { error: 'no stage "prod" in the config (have: production, staging, preview)' }],
    [
      { stage: "constructor" },
      { error: 'no stage "constructor" in the config (have: production, staging, preview)' },
    ],
    // A REF that is a stage's branch deploys that stage, as a push to it would.
    [{ ref: "develop" }, { stage: "staging" }],
    // Two stages with branches: no guessing.
    [{}, { error: "which stage? (have: production, staging, preview); name one with `to STAGE`" }],
    [
      { ref: "v1" },
      {
        error:
          "which stage? (have: production, staging, preview); name one with `to STAGE`; no stage has branch: v1",
      },
    ],
  ])("pickStage(%j)", (want, out) => {
    expect(pickStage(stages, want)).toEqual(out);
  });

  it("with one stage that has a branch, that one is the default", () => {
    expect(pickStage({ production: { branch: "main" }, preview: {} }, {})).toEqual({ stage: "production" });
    expect(pickStage({ production: { branch: "main" }, preview: {} }, { ref: "v1" })).toEqual({
      stage: "production",
    });
  });

  it("the ref defaults to the stage's branch", () => {
    expect(pickRef(stages, "staging")).toEqual({ ref: "develop" });
    expect(pickRef(stages, "staging", "v1")).toEqual({ ref: "v1" });
    expect(pickRef(stages, "preview")).toEqual({
      error: "stage 'preview' has no branch; say which ref: `at BRANCH`, `at TAG` or `at SHA`",
    });
  });

  it("workloads and projects are named with what exists", () => {
    expect(checkWorkload({ web: {}, api: {} }, "db")).toEqual({
      error: 'no workload "db" in the config (have: web, api)',
    });
    expect(checkWorkload({ web: {} }, "constructor")).toEqual({
      error: 'no workload "constructor" in the config (have: web)',
    });
    expect(findProject(config, "constructor")).toEqual({
      error: "unknown project 'constructor'; projects: shop, blog",
    });
    expect(checkWorkload({ web: {} }, undefined)).toEqual({});
    expect(findProject(config, "shop")).toEqual({ project: shop });
    expect(findProject(config, "shpo")).toEqual({ error: "unknown project 'shpo'; projects: shop, blog" });
    expect(findProject({ projects: {} }, "x")).toEqual({
      error: "unknown project 'x'; projects: none (the bot's config lists none)",
    });
  });
});

describe("authorization", () => {
  it.each([
    // users and channels: both must match
    ["production", "U1", "C1", true],
    ["production", "U1", "C9", false],
    ["production", "U2", "C1", false],
    // users only: any channel
    ["staging", "U2", "C9", true],
    ["staging", "U3", "C1", false],
    // channels only: anyone there
    ["qa", "U9", "C2", true],
    ["qa", "U1", "C1", false],
    // empty lists, or no entry: nobody
    ["dev", "U1", "C1", false],
    ["preview", "U1", "C1", false],
  ])("%s by %s in %s → %s", (stage, user, channel, ok) => {
    expect(mayDeploy(shop, stage, { user, channel })).toBe(ok);
  });

  it("lists the stages a requester may deploy, and says what to change when refused", () => {
    expect(allowedStages(shop, { user: "U1", channel: "C1" })).toEqual(["production", "staging"]);
    expect(allowedStages(shop, { user: "U9", channel: "C9" })).toEqual([]);
    expect(refusal("shop", "production", { user: "U2", channel: "C1" })).toBe(
      "you may not deploy shop to production: <@U2> in this channel is not allowed by projects.shop.allow.production in the bot's config",
    );
    expect(refusal("shop", undefined, { user: "U9", channel: "C9" })).toBe(
      "you may not use shop from chat: <@U9> in this channel is not allowed by projects.shop.allow in the bot's config",
    );
  });
});

describe("before the ack", () => {
  const alice = { user: "U1", channel: "C1" };
  it.each([
    ["help", { reply: helpText() }],
    [
      "shop/web to",
      { reply: "'to' needs a stage: `/deploy shop/web to STAGE`\n(`/deploy help` shows every form)" },
    ],
    ["nope/web", { reply: "unknown project 'nope'; projects: shop, blog" }],
    ["blog", { reply: refusal("blog", undefined, alice) }],
    ["shop/web to prod", { run: { kind: "deploy", project: "shop", workload: "web", stage: "prod" } }],
    ["status shop", { run: { kind: "status", project: "shop" } }],
  ])("%j", (text, out) => {
    expect(accept(config, text, alice)).toEqual(out);
  });
});

describe("names from chat are own keys only", () => {
  it("constructor, toString and __proto__ are unknown stages, workloads and projects, and allow nobody", () => {
    for (const name of ["constructor", "toString", "__proto__"]) {
      expect(pickStage(stages, { stage: name })).toEqual({
        error: `no stage "${name}" in the config (have: production, staging, preview)`,
      });
      expect(pickRef(stages, name)).toMatchObject({ error: expect.stringContaining("has no branch") });
      expect(checkWorkload({ web: {} }, name)).toEqual({
        error: `no workload "${name}" in the config (have: web)`,
      });
      expect(findProject(config, name)).toMatchObject({ error: expect.stringMatching(/^unknown project/) });
      expect(mayDeploy(shop, name, { user: "U1", channel: "C1" })).toBe(false);
    }
  });
});
