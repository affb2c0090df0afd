// Commit status: pending when a deploy really starts, success/failure when it ends, under one
// fixed context so a redeploy updates its row. An unchanged SHA sends nothing (the engine never
// calls started for it) unless "pending" went out before the deploy ran (the bot's early pending):
// then it ends as a success saying the SHA already serves. A push superseded in the bot's queue
// ends as a success saying it was not deployed: nothing failed, and pending must not linger.
import type { DeployHooks } from "../deploy/hooks.js";
import type { DeployInfo, DeployResult } from "../deploy/types.js";
import { capRunes, type Redactor } from "../events/redact.js";
import type { CommitStatus, Forge } from "../ports/forge.js";
import { deployLine, servingUrl } from "./text.js";

export const DEFAULT_CONTEXT = "tinyforge";

/** The status for a deploy that started (no result yet) or ended. */
export function commitStatus(
  info: DeployInfo,
  result: DeployResult | undefined,
  context: string,
  descriptionLimit: number,
  redact: Redactor,
): CommitStatus {
  const state = !result ? "pending" : result.outcome === "failed" ? "failure" : "success";
  const url = servingUrl(result);
  return {
    sha: info.sha,
    state,
    context,
    // Redact before cutting: a cut must never leave half a secret behind.
    description: capRunes(redact(deployLine(info, result)), descriptionLimit),
    ...(url ? { targetUrl: url } : {}),
  };
}

export class CommitStatusReporter implements DeployHooks {
  readonly name = "commit status";

  constructor(
    private readonly forge: Forge,
    /** The stage's status_context, or "tinyforge". */
    private readonly contextFor: (stage: string) => string,
    private readonly redact: Redactor,
  ) {}

  private send(info: DeployInfo, result?: DeployResult): Promise<void> {
    const { forge, redact } = this;
    const context = this.contextFor(info.stage);
    return forge.setStatus(commitStatus(info, result, context, forge.descriptionLimit, redact));
  }

  async started(info: DeployInfo): Promise<void> {
    if (info.sha) await this.send(info);
  }

  async finished(info: DeployInfo, result: DeployResult): Promise<void> {
    if (info.sha) await this.send(info, result);
  }
}
