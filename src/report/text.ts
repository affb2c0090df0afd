// The words every reporter uses for a deploy, so a status, a deployment and a chat message agree.
import { formatDuration } from "../config/duration.js";
import type { DeployInfo, DeployResult } from "../deploy/types.js";

/** "web to production", "web (pr-12) to preview". */
export function deployWhat(info: Pick<DeployInfo, "workload" | "stage" | "tag">): string {
  return `${info.workload}${info.tag ? ` (${info.tag})` : ""} to ${info.stage}`;
}

/** The environment a deploy lands in: the stage, or "stage/tag" for a tagged instance. */
export function environmentName(info: Pick<DeployInfo, "stage" | "tag">): string {
  return info.tag ? `${info.stage}/${info.tag}` : info.stage;
}

/**
 * One line for a status or deployment description. Uses the error's public message only: its
 * `detail` may hold what a failing command printed (secrets included) and never leaves the host.
 */
export function deployLine(info: DeployInfo, result?: DeployResult): string {
  if (!result) return `Deploying ${deployWhat(info)} (${info.strategy})`;
  switch (result.outcome) {
    case "failed":
      // A frozen stage refused it: the freeze says it all ("frozen: REASON (by WHO, until …)").
      if (result.error?.code === "frozen") return result.error.message;
      return `Deploy of ${deployWhat(info)} failed: ${result.error?.message ?? "unknown error"}`;
    case "unchanged":
      return `Already serving ${info.sha.slice(0, 7)}: ${deployWhat(info)} unchanged`;
    case "superseded":
      return `Not deployed: a newer push superseded ${deployWhat(info)}`;
    default:
      // The bake's figures lead: a description is cut at 140 characters on GitHub.
      return result.bake
        ? `Deployed ${deployWhat(info)}, ${result.bake.summary}`
        : `Deployed ${deployWhat(info)} in ${formatDuration(result.durationMs)}`;
  }
}

/** A link to what serves: after a success, and when the SHA already served (unchanged). */
export function servingUrl(result: DeployResult | undefined): string | null {
  return result?.outcome === "success" || result?.outcome === "unchanged" ? result.url : null;
}
