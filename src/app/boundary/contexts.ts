// The commit status contexts the bot posts under are its own: "tinyforge" or "tinyforge/…". A
// forge's branch protection matches a required check by its context name alone, so a repo naming
// `status_context: ci/build` would have the bot's App or Gitea user post success under the team's
// required CI check; and wait_for_checks, which excepts every stage's own context, would stop
// waiting for the real one. Checked on the repo's data before anything posts a status: the checks
// gate's held status goes out under the stage's context before admit() runs.
import { DEFAULT_CONTEXT } from "../../report/commit-status.js";

const OWN = new RegExp(`^${DEFAULT_CONTEXT}(?:/[^\\p{Cc}]+)?$`, "u");

type Data = Record<string, unknown>;
const isMap = (v: unknown): v is Data => typeof v === "object" && v !== null && !Array.isArray(v);

/** One line per stage whose status_context is not the bot's own; other shapes are the loader's. */
export function contextProblems(data: unknown): string[] {
  if (!isMap(data) || !isMap(data.stages)) return [];
  const problems: string[] = [];
  for (const [name, s] of Object.entries(data.stages)) {
    if (!isMap(s) || !Object.hasOwn(s, "status_context")) continue;
    const c = s.status_context;
    if (typeof c !== "string" || OWN.test(c)) continue;
    problems.push(
      `stages.${name}.status_context: ${JSON.stringify(c)} is not the bot's own: must be "${DEFAULT_CONTEXT}" or start with "${DEFAULT_CONTEXT}/"`,
    );
  }
  return problems;
}
