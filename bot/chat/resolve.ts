// From a parsed command to what it names, pure: the project in the bot's config, the stage in the
// repo's tinyforge.yml, the ref to deploy. Each failure is one sentence that lists what exists.

import { resolveStage } from "../../src/app/stages.js";
import { own } from "../../src/config/lookup.js";
import { errorMessage, isTinyforgeError } from "../../src/errors.js";
import { type BotConfig, type BotProject, projectNamed } from "../config.js";

export type Resolved<T> = T | { error: string };

export function findProject(config: BotConfig, project: string): Resolved<{ project: BotProject }> {
  const p = projectNamed(config, project);
  if (p) return { project: p };
  const names = Object.keys(config.projects);
  return {
    error: `unknown project '${project}'; projects: ${names.length > 0 ? names.join(", ") : "none (the bot's config lists none)"}`,
  };
}

export interface StageInfo {
  branch?: string;
}

/**
 * The stage a command deploys: the one it names; else the stage whose branch is the REF it names
 * (like a push to that branch); else the config's only stage with a branch. Several candidates
 * are not guessed between: deploying to production by accident is worse than asking.
 */
export function pickStage(
  stages: Record<string, StageInfo>,
  want: { stage?: string; ref?: string },
): Resolved<{ stage: string }> {
  try {
    const stage = resolveStage(
      { stages },
      { stage: want.stage, branch: want.ref, guess: "only-branched-stage", ask: "`to STAGE`" },
    );
    return { stage };
  } catch (e) {
    const hint = isTinyforgeError(e) && e.hint ? `; ${e.hint}` : "";
    return { error: `${errorMessage(e)}${hint}` };
  }
}

/** The ref to deploy: the one named, else the stage's branch. */
export function pickRef(
  stages: Record<string, StageInfo>,
  stage: string,
  ref?: string,
): Resolved<{ ref: string }> {
  if (ref) return { ref };
  const branch = own(stages, stage)?.branch;
  if (branch) return { ref: branch };
  return { error: `stage '${stage}' has no branch; say which ref: \`at BRANCH\`, \`at TAG\` or \`at SHA\`` };
}

export function checkWorkload(workloads: Record<string, unknown>, workload?: string): Resolved<object> {
  if (workload === undefined || Object.hasOwn(workloads, workload)) return {};
  return { error: `no workload "${workload}" in the config (have: ${Object.keys(workloads).join(", ")})` };
}
