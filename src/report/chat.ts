// One chat message per deploy. With a bot token: posted when the deploy starts and updated after
// every step and at the end, so the channel shows one live row, not a stream. With an incoming
// webhook (no editing): the result only, posted once at the end.
import type { DeployHooks } from "../deploy/hooks.js";
import type { DeployInfo, DeployResult } from "../deploy/types.js";
import type { Redactor } from "../events/redact.js";
import type { MessageRef, Notifier } from "../ports/notifier.js";
import type { StepRecord } from "../state/model.js";
import { redactDeep } from "./redact-deep.js";
import { type SlackView, slackMessage } from "./slack-message.js";

export class ChatReporter implements DeployHooks {
  readonly name = "slack";
  private ref: MessageRef | undefined;
  private readonly steps: StepRecord[] = [];

  constructor(
    private readonly notifier: Notifier,
    private readonly redact: Redactor,
    private readonly commitUrl?: (sha: string) => string | undefined,
  ) {}

  private message(v: Omit<SlackView, "commitUrl">) {
    return redactDeep(slackMessage({ ...v, commitUrl: this.commitUrl?.(v.info.sha) }), this.redact);
  }

  async started(info: DeployInfo): Promise<void> {
    if (!this.notifier.updatable) return;
    this.ref = await this.notifier.post(this.message({ info, steps: [] }));
  }

  async step(info: DeployInfo, step: StepRecord): Promise<void> {
    this.steps.push(step);
    if (!this.notifier.updatable || !this.ref) return;
    await this.notifier.update(this.ref, this.message({ info, steps: this.steps }));
  }

  async finished(info: DeployInfo, result: DeployResult): Promise<void> {
    const m = this.message({ info, steps: result.steps, result });
    // The start was never posted (webhook, or Slack refused then): the result is a message of its own.
    if (this.notifier.updatable && this.ref) await this.notifier.update(this.ref, m);
    else await this.notifier.post(m);
  }
}
