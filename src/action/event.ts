// What the workflow run asks for, from the runner's environment and event payload: which stage,
// which tag (a pull request's preview is tagged pr-N), which commit. Pure, given its inputs.
import type { Config } from "../config/schema.js";
import { TinyforgeError } from "../errors.js";

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
  const stages = Object.entries(config.stages);
  if (name === "pull_request" || name === "pull_request_target") {
    const pr = event as PullRequestEvent;
    const number = pr.pull_request?.number ?? pr.number;
    const sha = pr.pull_request?.head?.sha;
    if (!number || !sha)
      throw new TinyforgeError("usage", `the ${name} event has no pull request number or head SHA`);
    const stage = stageInput ?? stages.find(([, s]) => s.pull_requests)?.[0];
    if (!stage) {
      throw new TinyforgeError("usage", "a pull_request event, but no stage has pull_requests: true", {
        hint: "add a preview stage with pull_requests: true, or pass the stage input",
      });
    }
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
  const stage = stageInput ?? stages.find(([, s]) => branch && s.branch === branch)?.[0];
  if (!stage) {
    throw new TinyforgeError("usage", `no stage deploys ${branch ? `branch ${branch}` : ref || "this ref"}`, {
      hint: `set branch: on a stage, or pass the stage input (stages: ${stages.map(([n]) => n).join(", ")})`,
    });
  }
  return { stage, sha, ...(branch ? { ref: branch } : {}), teardown: false, trigger: name || "workflow" };
}
