// The generic JSON webhook (notify.webhook): one document when a deploy ends, for whatever the team
// wires it to. Fire-and-forget: bounded by the sender's timeout, and its failure is only a warning.
import type { DeployHooks } from "../deploy/hooks.js";
import type { DeployInfo, DeployResult } from "../deploy/types.js";
import type { Redactor } from "../events/redact.js";
import type { WebhookSender } from "../ports/notifier.js";
import { redactDeep } from "./redact-deep.js";

export function webhookPayload(info: DeployInfo, result: DeployResult): Record<string, unknown> {
  return {
    event: "deploy.finished",
    deployId: result.deployId,
    project: info.project,
    workload: result.workload,
    stage: result.stage,
    tag: result.tag,
    sha: result.sha,
    ref: info.ref,
    strategy: result.strategy,
    host: result.host,
    outcome: result.outcome,
    url: result.url,
    container: result.container,
    previous: result.previous,
    durationMs: result.durationMs,
    steps: result.steps,
    // code and public message only: `detail` never leaves the host.
    error: result.error ? { code: result.error.code, message: result.error.message } : null,
  };
}

export class WebhookReporter implements DeployHooks {
  readonly name = "webhook";

  constructor(
    private readonly sender: WebhookSender,
    private readonly redact: Redactor,
  ) {}

  async finished(info: DeployInfo, result: DeployResult): Promise<void> {
    await this.sender.send(redactDeep(webhookPayload(info, result), this.redact));
  }
}
