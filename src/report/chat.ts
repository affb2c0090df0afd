// One chat message per deploy. With a bot token: posted when the deploy starts and updated after
// every step and at the end, so the channel shows one live row, not a stream. With an incoming
// webhook (no editing): the result only, posted once at the end.
import type { DeployHooks } from "../deploy/hooks.js";
import type { DeployInfo, DeployResult } from "../deploy/types.js";
import type { Redactor } from "../events/redact.js";
import type { Button, MessageRef, Notifier } from "../ports/notifier.js";
import type { StepRecord } from "../state/model.js";
import { redactDeep } from "./redact-deep.js";
import { type MessageKind, phaseOf, type SlackView, slackMessage } from "./slack-message.js";

export interface ChatOptions {
  /**
   * A message already posted for this deploy (the bot's "queued" row for a chat command): it is
   * updated from the start instead of a second message being posted.
   */
  ref?: MessageRef;
  kind?: MessageKind;
  /** Trusted mrkdwn shown under the steps ("/deploy by <@U123>"). */
  note?: string;
  /** Buttons under the final message (the bot's "Roll back" on a success). */
  buttons?: (result: DeployResult) => Button[];
}

export class ChatReporter implements DeployHooks {
  readonly name = "slack";
  private ref: MessageRef | undefined;
  private readonly steps: StepRecord[] = [];

  constructor(
    private readonly notifier: Notifier,
    private readonly redact: Redactor,
    private readonly commitUrl?: (sha: string) => string | undefined,
    private readonly opts: ChatOptions = {},
  ) {
    this.ref = opts.ref;
  }

  /** The message this reporter posted or was given, once there is one. */
  get message(): MessageRef | undefined {
    return this.ref;
  }

  private render(v: Omit<SlackView, "commitUrl" | "kind" | "note">) {
    const view: SlackView = {
      ...v,
      commitUrl: this.commitUrl?.(v.info.sha),
      kind: this.opts.kind,
      note: this.opts.note,
    };
    return redactDeep(slackMessage(view), this.redact);
  }

  async started(info: DeployInfo): Promise<void> {
    // With several hosts, each host's deploy starts the row over rather than piling up steps.
    this.steps.length = 0;
    if (!this.notifier.updatable) return;
    const m = this.render({ info, steps: [], phase: phaseOf([]) });
    if (this.ref) await this.notifier.update(this.ref, m);
    else this.ref = await this.notifier.post(m);
  }

  async step(info: DeployInfo, step: StepRecord): Promise<void> {
    this.steps.push(step);
    if (!this.notifier.updatable || !this.ref) return;
    await this.notifier.update(
      this.ref,
      this.render({ info, steps: this.steps, phase: phaseOf(this.steps) }),
    );
  }

  async finished(info: DeployInfo, result: DeployResult): Promise<void> {
    const m = this.render({ info, steps: result.steps, result, buttons: this.opts.buttons?.(result) });
    // The start was never posted (webhook, or Slack refused then): the result is a message of its own.
    if (this.notifier.updatable && this.ref) await this.notifier.update(this.ref, m);
    else this.ref = await this.notifier.post(m);
  }
}
