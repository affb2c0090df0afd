import { describe, expect, it } from "vitest";
import { resolveTarget } from "../../../src/action/event.js";
import { configSchema } from "../../../src/config/schema.js";

const config = configSchema.parse({
  project: "shop",
  stages: {
    production: { branch: "main" },
    staging: { branch: "develop" },
    preview: { pull_requests: true },
  },
  workloads: { web: { source: "image", image: "r/web:{sha}", port: 8080 } },
});
const sha = "0123456789abcdef0123456789abcdef01234567";

describe("which deploy a workflow run asks for", () => {
  it("a push deploys the stage whose branch was pushed", () => {
    expect(
      resolveTarget(
        config,
        { GITHUB_EVENT_NAME: "push", GITHUB_SHA: sha, GITHUB_REF: "refs/heads/develop" },
        {},
      ),
    ).toEqual({
      stage: "staging",
      sha,
      ref: "develop",
      teardown: false,
      trigger: "push",
    });
  });

  it("a pull request deploys its head to the preview stage, tagged pr-N; closed tears it down", () => {
    const event = {
      action: "synchronize",
      number: 42,
      pull_request: { number: 42, head: { sha, ref: "feature/x" } },
    };
    expect(
      resolveTarget(config, { GITHUB_EVENT_NAME: "pull_request", GITHUB_SHA: "f".repeat(40) }, event),
    ).toEqual({
      stage: "preview",
      tag: "pr-42",
      sha,
      ref: "feature/x",
      teardown: false,
      trigger: "pull_request",
    });
    expect(
      resolveTarget(config, { GITHUB_EVENT_NAME: "pull_request" }, { ...event, action: "closed" }).teardown,
    ).toBe(true);
  });

  it("the stage input wins over the event", () => {
    expect(
      resolveTarget(
        config,
        { GITHUB_EVENT_NAME: "push", GITHUB_SHA: sha, GITHUB_REF: "refs/heads/main" },
        {},
        "staging",
      ).stage,
    ).toBe("staging");
  });

  it("a branch no stage deploys is a clear error naming the stages", () => {
    expect(() =>
      resolveTarget(config, { GITHUB_EVENT_NAME: "push", GITHUB_SHA: sha, GITHUB_REF: "refs/heads/wip" }, {}),
    ).toThrow("no stage deploys branch wip");
  });
});
