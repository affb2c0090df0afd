// The Slack message of one deploy, as Block Kit: posted when it starts, updated after each step
// and at the end. Pure: the same deploy and steps give the same blocks (tests compare them whole).
import { formatDuration } from "../config/duration.js";
import type { DeployInfo, DeployResult } from "../deploy/types.js";
import { capRunes } from "../events/redact.js";
import type { Block, ChatMessage, TextObject } from "../ports/notifier.js";
import type { StepRecord } from "../state/model.js";

export interface SlackView {
  info: DeployInfo;
  /** Steps done so far (the result's steps once it ended). */
  steps: readonly StepRecord[];
  result?: DeployResult;
  /** The commit's page on the forge, when we know the forge. */
  commitUrl?: string;
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

function headline(v: SlackView): { icon: string; words: string } {
  const { info, result } = v;
  const what = `${info.project}/${info.workload}${info.tag ? ` (${info.tag})` : ""}`;
  if (!result) return { icon: "⏳", words: `Deploying ${what} to ${info.stage}` };
  if (result.outcome === "failed") return { icon: "❌", words: `Deploy of ${what} to ${info.stage} failed` };
  return { icon: "✅", words: `Deployed ${what} to ${info.stage}` };
}

function outcomeText(v: SlackView): string {
  const { result, steps } = v;
  if (!result) {
    const last = steps.at(-1);
    return last ? `deploying (${escapeMrkdwn(last.name)} done)` : "deploying";
  }
  if (result.outcome !== "failed") return result.outcome;
  // The public message only: `detail` may hold a failing command's output and never leaves the host.
  const why = result.error ? `${result.error.code}: ${result.error.message}` : "unknown error";
  return `failed: ${escapeMrkdwn(capRunes(why, 500))}`;
}

export function stepsLine(steps: readonly StepRecord[]): string {
  return steps.map((s) => `${s.ok ? "✓" : "✗"} ${s.name} ${formatDuration(s.ms)}`).join(" · ");
}

export function slackMessage(v: SlackView): ChatMessage {
  const { info, result } = v;
  const short = info.sha.slice(0, 7);
  const { icon, words } = headline(v);
  const url = result?.outcome === "success" ? result.url : null;
  const duration = result ? formatDuration(result.durationMs) : "…";
  const fields = [
    field("Workload", escapeMrkdwn(info.workload)),
    field("Stage", escapeMrkdwn(`${info.stage}${info.tag ? ` (${info.tag})` : ""}`)),
    field("Commit", v.commitUrl ? link(v.commitUrl, short) : escapeMrkdwn(short)),
    field("Strategy", info.strategy),
    field("Outcome", outcomeText(v)),
    field("Duration", duration),
  ];
  if (url) fields.push(field("URL", link(url, url)));
  const context = [md(escapeMrkdwn(`deploy ${info.deployId} on ${info.host}`))];
  if (v.steps.length > 0) context.unshift(md(escapeMrkdwn(capRunes(stepsLine(v.steps), 1900))));
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: capRunes(`${icon} ${words}`, 150) } },
    { type: "section", fields },
    { type: "context", elements: context },
  ];
  const text = `${icon} ${escapeMrkdwn(words)}: ${short}${result ? ` in ${duration}` : ""}${url ? ` ${url}` : ""}`;
  return { text, blocks };
}
