// The action's head start on SSH reads its inputs and picks its stage before @actions/core and the
// validator load: the same inputs as the action reads later, and a stage only when it is plain.
import * as core from "@actions/core";
import { afterEach, describe, expect, it } from "vitest";
import { previewStage, pushedStage, rawInput } from "../../../src/action/early.js";

const names = ["config", "stage", "ssh-key", "known-hosts"];
const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
});

describe("the action's early inputs", () => {
  it("reads each input as @actions/core's getInput does (INPUT_ name, trimmed, empty when unset)", () => {
    process.env.INPUT_CONFIG = "  deploy/tinyforge.yml \n";
    process.env["INPUT_SSH-KEY"] = "-----BEGIN KEY-----\nabc\n-----END KEY-----\n";
    process.env["INPUT_KNOWN-HOSTS"] = "";
    for (const name of names) expect(rawInput(process.env, name)).toBe(core.getInput(name));
  });

  it("for a push, guesses the one stage whose branch was pushed, and nothing else", () => {
    const stages = {
      production: { branch: "main" },
      staging: { branch: "dev" },
      preview: { pull_requests: true },
    };
    const push = (ref: string) => ({ GITHUB_EVENT_NAME: "push", GITHUB_REF: ref });
    expect(pushedStage(push("refs/heads/main"), stages)).toBe("production");
    expect(pushedStage(push("refs/heads/feature"), stages)).toBeUndefined();
    expect(pushedStage(push("refs/tags/v1"), stages)).toBeUndefined();
    expect(
      pushedStage({ GITHUB_EVENT_NAME: "pull_request", GITHUB_REF: "refs/heads/main" }, stages),
    ).toBeUndefined();
    // Two stages on one branch: which one is the validated config's to say.
    expect(pushedStage(push("refs/heads/main"), { ...stages, mirror: { branch: "main" } })).toBeUndefined();
  });

  it("for a pull request, guesses the one preview stage, and nothing for other events", () => {
    const stages = { production: { branch: "main" }, preview: { pull_requests: true } };
    expect(previewStage({ GITHUB_EVENT_NAME: "pull_request" }, stages)).toBe("preview");
    expect(previewStage({ GITHUB_EVENT_NAME: "pull_request_target" }, stages)).toBe("preview");
    expect(previewStage({ GITHUB_EVENT_NAME: "push" }, stages)).toBeUndefined();
    expect(previewStage({ GITHUB_EVENT_NAME: "issue_comment" }, stages)).toBeUndefined();
    expect(
      previewStage({ GITHUB_EVENT_NAME: "pull_request" }, { ...stages, other: { pull_requests: true } }),
    ).toBeUndefined();
  });
});
