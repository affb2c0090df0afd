// What the workflow run asks for, from the runner's environment and event payload: which stage,
// which tag (a pull request's preview is tagged pr-N), which commit. Pure, given its inputs.
import type { Config } from "../config/schema.js";
import { resolveStage } from "../app/stages.js";
import { TinyforgeError } from "../errors.js";

const ASK = "the stage input";

export interface Target {
  stage: string;
  tag?: string;
  sha: string;
  ref?: string;
  /** A closed pull request: remove its preview instead of deploying. */
  teardown: boolean;
  trigger: string;
}

interface PullRequestEvent {
  action?: string;
  number?: number;
  pull_request?: { number?: number; head?: { sha?: string; ref?: string } };
}

export function resolveTarget(
  config: Config,
  env: Record<string, string | undefined>,
  event: unknown,
  stageInput?: string,
): Target {
  const name = env.GITHUB_EVENT_NAME ?? "";
  if (name === "pull_request" || name === "pull_request_target") {
    const pr = event as PullRequestEvent;
    const number = pr.pull_request?.number ?? pr.number;
    const sha = pr.pull_request?.head?.sha;
    if (!number || !sha)
      throw new TinyforgeError("usage", `the ${name} event has no pull request number or head SHA`);
    const stage = resolveStage(config, { stage: stageInput, preview: true, ask: ASK });
    return {
      stage,
      tag: `pr-${number}`,
      sha,
      ref: pr.pull_request?.head?.ref,
      teardown: pr.action === "closed",
      trigger: "pull_request",
    };
  }
  const sha = env.GITHUB_SHA;
  if (!sha)
    throw new TinyforgeError("usage", "GITHUB_SHA is not set: is this running in GitHub or Gitea Actions?");
  const ref = env.GITHUB_REF ?? "";
  const branch = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
  const stage = resolveStage(config, { stage: stageInput, branch: branch ?? ref, ask: ASK });
  return { stage, sha, ...(branch ? { ref: branch } : {}), teardown: false, trigger: name || "workflow" };
}
