// The Slack message of one deploy, as Block Kit: posted when it starts, updated after each step
// and at the end. Pure: the same deploy and steps give the same blocks (tests compare them whole).
import { formatDuration } from "../config/duration.js";
import type { DeployInfo, DeployResult } from "../deploy/types.js";
import { capRunes } from "../events/redact.js";
import type { Block, Button, ChatMessage, TextObject } from "../ports/notifier.js";
import type { StepRecord } from "../state/model.js";
import { servingUrl } from "./text.js";

export type MessageKind = "deploy" | "rollback";

export interface SlackView {
  info: DeployInfo;
  /** Steps done so far (the result's steps once it ended). */
  steps: readonly StepRecord[];
  result?: DeployResult;
  /** The commit's page on the forge, when we know the forge. */
  commitUrl?: string;
  /** What runs now (phaseOf), shown as the outcome while the deploy is under way. */
  phase?: string;
  /** A rollback reads as one ("Rolling back …"); default deploy. */
  kind?: MessageKind;
  /** Trusted mrkdwn under the steps, built by the caller from checked parts ("by <@U123>"). */
  note?: string;
  /** Buttons under the message (the bot's "Roll back"). */
  buttons?: Button[];
}

/**
 * A deploy the bot accepted that has not started yet (it waits in the queue for its
 * workload+stage), or that ended before it started (lock held, host unreachable, nothing to roll
 * back to): the same layout as the running message, so the channel's row only changes content.
 */
export interface PendingView {
  project: string;
  workload: string;
  stage: string;
  tag?: string | null;
  /** Unknown for a rollback until it reads the host's history. */
  sha?: string;
  kind?: MessageKind;
  commitUrl?: string;
  note?: string;
  error?: { code: string; message: string };
}

/** Slack's mrkdwn treats &, < and > as markup: user text must not open a link or a mention. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const md = (text: string): TextObject => ({ type: "mrkdwn", text });
const field = (label: string, value: string): TextObject => md(`*${label}*\n${value}`);

function link(url: string, label: string): string {
  // A URL with | or > would end the link early; ours never have them, a hostile one is not a link.
  return /[|<>\s]/.test(url) ? escapeMrkdwn(label) : `<${url}|${escapeMrkdwn(label)}>`;
}

type Where = { project: string; workload: string; stage: string; tag?: string | null };

type HeadlineState = "running" | "failed" | "done" | "unchanged" | "superseded";

function headline(
  w: Where,
  state: HeadlineState,
  kind: MessageKind = "deploy",
): { icon: string; words: string } {
  const what = `${w.project}/${w.workload}${w.tag ? ` (${w.tag})` : ""}`;
  if (state === "unchanged") return { icon: "✅", words: `${what} already serves this commit in ${w.stage}` };
  if (state === "superseded")
    return { icon: "⏭️", words: `Skipped ${what} to ${w.stage} (superseded by a newer push)` };
  if (kind === "rollback") {
    if (state === "running") return { icon: "⏳", words: `Rolling back ${what} in ${w.stage}` };
    if (state === "failed") return { icon: "❌", words: `Rollback of ${what} in ${w.stage} failed` };
    return { icon: "✅", words: `Rolled back ${what} in ${w.stage}` };
  }
  if (state === "running") return { icon: "⏳", words: `Deploying ${what} to ${w.stage}` };
  if (state === "failed") return { icon: "❌", words: `Deploy of ${what} to ${w.stage} failed` };
  return { icon: "✅", words: `Deployed ${what} to ${w.stage}` };
}

/** The public reason only: `detail` may hold a failing command's output and never leaves the host. */
function failedText(error: { code: string; message: string } | null | undefined): string {
  const why = error ? `${error.code}: ${error.message}` : "unknown error";
  return `failed: ${escapeMrkdwn(capRunes(why, 500))}`;
}

function outcomeText(v: SlackView): string {
  const { result, steps } = v;
  if (!result) {
    if (v.phase) return escapeMrkdwn(v.phase);
    const last = steps.at(-1);
    return last ? `deploying (${escapeMrkdwn(last.name)} done)` : "deploying";
  }
  if (result.outcome === "superseded") return "superseded by a newer push: not deployed";
  if (result.outcome === "unchanged") return "unchanged: already serves";
  if (result.outcome !== "failed") return result.outcome;
  return failedText(result.error);
}

// What runs after each step ends: image → start → gate → swap (route, persist, reap).
const NEXT_PHASE: Record<string, string> = {
  lock: "building",
  upload: "building",
  pull: "gating",
  build: "gating",
  image: "gating",
  "stop-old": "gating",
  up: "gating",
  create: "gating",
  start: "gating",
  gate: "swapping",
  route: "swapping",
  persist: "swapping",
  bake: "retiring",
  revert: "rolling back",
  reap: "swapping",
};

/**
 * The phase a running deploy is in, from the steps done so far: building → gating → swapping,
 * or "rolling back" once a step failed (the old version is being put back).
 */
export function phaseOf(steps: readonly StepRecord[]): string {
  const last = steps.at(-1);
  if (!last) return "building";
  if (steps.some((s) => !s.ok)) return "rolling back";
  return NEXT_PHASE[last.name] ?? "deploying";
}

export function stepsLine(steps: readonly StepRecord[]): string {
  return steps.map((s) => `${s.ok ? "✓" : "✗"} ${s.name} ${formatDuration(s.ms)}`).join(" · ");
}

function commitField(sha: string | undefined, commitUrl: string | undefined): TextObject {
  if (!sha) return field("Commit", "previous release");
  const short = sha.slice(0, 7);
  return field("Commit", commitUrl ? link(commitUrl, short) : escapeMrkdwn(short));
}

function headlineState(result: DeployResult | undefined): HeadlineState {
  if (!result) return "running";
  if (result.outcome === "success") return "done";
  return result.outcome;
}

export function slackMessage(v: SlackView): ChatMessage {
  const { info, result } = v;
  const short = info.sha.slice(0, 7);
  const { icon, words } = headline(info, headlineState(result), v.kind);
  const url = servingUrl(result);
  // A superseded deploy never ran: it took no time worth a number.
  const ran = result && result.outcome !== "superseded";
  const duration = !result ? "…" : ran ? formatDuration(result.durationMs) : "-";
  const fields = [
    field("Workload", escapeMrkdwn(info.workload)),
    field("Stage", escapeMrkdwn(`${info.stage}${info.tag ? ` (${info.tag})` : ""}`)),
    commitField(info.sha, v.commitUrl),
    field("Strategy", info.strategy),
    field("Outcome", outcomeText(v)),
    field("Duration", duration),
  ];
  if (result?.bake) fields.push(field("Bake", escapeMrkdwn(capRunes(result.bake.summary, 300))));
  if (url) fields.push(field("URL", link(url, url)));
  const context = [md(escapeMrkdwn(`deploy ${info.deployId} on ${info.host}`))];
  if (v.steps.length > 0) context.unshift(md(escapeMrkdwn(capRunes(stepsLine(v.steps), 1900))));
  if (v.note) context.push(md(capRunes(v.note, 500)));
  const blocks = layout(icon, words, fields, context);
  if (v.buttons?.length) blocks.push({ type: "actions", elements: v.buttons });
  const text = `${icon} ${escapeMrkdwn(words)}: ${short}${ran ? ` in ${duration}` : ""}${url ? ` ${url}` : ""}`;
  return { text, blocks };
}

function layout(icon: string, words: string, fields: TextObject[], context: TextObject[]): Block[] {
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: capRunes(`${icon} ${words}`, 150) } },
    { type: "section", fields },
  ];
  // Slack refuses a context block with no elements.
  if (context.length > 0) blocks.push({ type: "context", elements: context });
  return blocks;
}

/** The message of a deploy before it starts (queued) or one that ended before it could start. */
export function pendingMessage(v: PendingView): ChatMessage {
  const { icon, words } = headline(v, v.error ? "failed" : "running", v.kind);
  const fields = [
    field("Workload", escapeMrkdwn(v.workload)),
    field("Stage", escapeMrkdwn(`${v.stage}${v.tag ? ` (${v.tag})` : ""}`)),
    commitField(v.sha, v.commitUrl),
    field("Strategy", "…"),
    field("Outcome", v.error ? failedText(v.error) : "queued"),
    field("Duration", v.error ? "-" : "…"),
  ];
  const context = v.note ? [md(capRunes(v.note, 500))] : [];
  const short = v.sha ? `: ${v.sha.slice(0, 7)}` : "";
  const text = `${icon} ${escapeMrkdwn(words)}${short}${v.error ? "" : " (queued)"}`;
  return { text, blocks: layout(icon, words, fields, context) };
}
