// One chat command → one channel message per workload, kept up to date: posted "queued" before the
// job waits in the runner's queue, then handed to the same ChatReporter the CLI and the action use
// (so it looks the same), finished here when the engine did not report (unchanged, or an error
// before the deploy started), with the public failure reason as a reply in its thread.
import type { Prepared, Trigger, BotRunner } from "../runner.js";
import type { DeployHooks } from "../../src/deploy/hooks.js";
import type { DeployResult } from "../../src/deploy/types.js";
import { errorMessage, isTinyforgeError } from "../../src/errors.js";
import type { Redactor } from "../../src/events/redact.js";
import type { ChatMessage, MessageRef, Notifier } from "../../src/ports/notifier.js";
import { ChatReporter } from "../../src/report/chat.js";
import { redactDeep } from "../../src/report/redact-deep.js";
import {
  type MessageKind,
  type PendingView,
  pendingMessage,
  slackMessage,
} from "../../src/report/slack-message.js";
import { buttonsFor, type Failure, failureReply } from "./messages.js";

/** Slack in one channel, as the app uses it (SlackApiNotifier). */
export interface SlackChannel extends Notifier {
  reply(ref: MessageRef, m: ChatMessage): Promise<MessageRef | undefined>;
  postEphemeral(user: string, m: ChatMessage): Promise<void>;
}

export interface LiveDeps {
  runner: BotRunner;
  redact: Redactor;
  warn: (msg: string) => void;
}

/** The reason an error may show in chat: its public message, redacted. */
export function failureOf(e: unknown, redact: Redactor): Failure {
  if (isTinyforgeError(e))
    return {
      code: e.code,
      message: redact(e.publicMessage ?? e.message),
      ...(e.hint ? { hint: redact(e.hint) } : {}),
    };
  return { code: "deploy_failed", message: redact(errorMessage(e)) };
}

export async function runLive(
  deps: LiveDeps,
  slack: SlackChannel,
  trigger: Trigger,
  prepared: Prepared,
  view: { kind: MessageKind; note: string; domain?: string },
): Promise<void> {
  // One prepared session (one config checkout) serves every workload's job: the last one done
  // cleans it up.
  let left = prepared.workloads.length;
  const release = () => {
    left -= 1;
    if (left === 0) prepared.cleanup();
  };
  await Promise.all(
    prepared.workloads.map((workload) =>
      runOne(
        deps,
        slack,
        { ...trigger, workload },
        { ...prepared, workloads: [workload], cleanup: release },
        view,
      ),
    ),
  );
}

async function runOne(
  deps: LiveDeps,
  slack: SlackChannel,
  trigger: Trigger & { workload: string },
  prepared: Prepared,
  view: { kind: MessageKind; note: string; domain?: string },
): Promise<void> {
  const { redact, warn } = deps;
  const clean = (m: ChatMessage) => redactDeep(m, redact);
  const pending: PendingView = {
    project: trigger.project,
    workload: trigger.workload,
    stage: prepared.stage,
    tag: trigger.tag ?? null,
    // A rollback's commit is the previous release's, known once it runs.
    ...(view.kind === "deploy" ? { sha: trigger.sha } : {}),
    kind: view.kind,
    note: view.note,
  };
  const quietly = async <T>(what: string, p: Promise<T>): Promise<T | undefined> =>
    p.catch((e) => {
      warn(`slack: ${what}: ${errorMessage(e)}`);
      return undefined;
    });

  const posted = await quietly("queued message", slack.post(clean(pendingMessage(pending))));
  let reported = false;
  const reporter = new ChatReporter(slack, redact, undefined, {
    ref: posted,
    kind: view.kind,
    note: view.note,
    buttons: (r) => buttonsFor(trigger.project, r),
  });
  const seen: DeployHooks = {
    name: "slack outcome",
    finished: async () => {
      reported = true;
    },
  };

  let result: DeployResult | undefined;
  let failure: Failure | undefined;
  try {
    const [out] = await deps.runner.submit(
      {
        ...trigger,
        hooks: [...(trigger.hooks ?? []), reporter, seen],
        // Its record keeps the message, so the dashboard links to this thread.
        ...(posted
          ? {
              thread: {
                channel: posted.channel,
                ts: posted.ts,
                ...(view.domain ? { domain: view.domain } : {}),
              },
            }
          : {}),
      },
      prepared,
    );
    if (out && "deployId" in out) result = out;
  } catch (e) {
    failure = failureOf(e, redact);
  }

  let at = reporter.message ?? posted;
  // What the engine did not report itself: an unchanged deploy (observers hear nothing), a failure
  // before it started (lock held, host unreachable, nothing to roll back to).
  if (!reported) {
    const final = result
      ? slackMessage({
          info: { ...result, project: trigger.project, ref: trigger.ref ?? null },
          steps: result.steps,
          result,
          kind: view.kind,
          note: view.note,
        })
      : pendingMessage({ ...pending, error: failure ?? { code: "deploy_failed", message: "no outcome" } });
    if (at) await quietly("final message", slack.update(at, clean(final)));
    else at = await quietly("final message", slack.post(clean(final)));
  }
  const why = result?.outcome === "failed" ? (result.error ?? undefined) : failure;
  if (why && at) {
    // Only the public message (already redacted by the engine): `detail` never leaves the host.
    const { code, message, hint } = why;
    const output = "output" in why ? why.output : undefined;
    await quietly(
      "failure reply",
      slack.reply(at, clean(failureReply({ code, message, hint, ...(output ? { output } : {}) }, result))),
    );
  }
}
