// What the Slack app says besides the deploy message itself (src/report/slack-message.ts): the
// "Roll back" button and its value, the failure reason in the thread, status, and short answers.
// Pure: tests compare them whole.
import { freezeText } from "../../src/deploy/freeze.js";
import type { InstanceStatus } from "../../src/deploy/status.js";
import type { Freeze } from "../../src/state/model.js";
import type { DeployResult } from "../../src/deploy/types.js";
import { capRunes } from "../../src/events/redact.js";
import type { Block, Button, ChatMessage } from "../../src/ports/notifier.js";
import { escapeMrkdwn, type MessageKind } from "../../src/report/slack-message.js";

export const ROLLBACK_ACTION = "tinyforge_rollback";

export interface RollbackTarget {
  project: string;
  workload: string;
  stage: string;
  tag?: string;
  /** The release the button's message shows serving: a click goes back from it, or does nothing. */
  sha?: string;
}

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SHA = /^[0-9a-f]{7,64}$/;

export function rollbackButton(t: RollbackTarget): Button {
  const what = `${t.project}/${t.workload}${t.tag ? ` (${t.tag})` : ""}`;
  return {
    type: "button",
    action_id: ROLLBACK_ACTION,
    text: { type: "plain_text", text: "Roll back" },
    style: "danger",
    value: JSON.stringify({
      p: t.project,
      w: t.workload,
      s: t.stage,
      ...(t.tag ? { t: t.tag } : {}),
      ...(t.sha ? { h: t.sha } : {}),
    }),
    // A rollback changes what serves: one click on a busy channel must not do it.
    confirm: {
      title: { type: "plain_text", text: "Roll back?" },
      text: { type: "plain_text", text: `Deploy the release before this one of ${what} in ${t.stage}.` },
      confirm: { type: "plain_text", text: "Roll back" },
      deny: { type: "plain_text", text: "Cancel" },
    },
  };
}

/** The button's value as we wrote it, or undefined for anything else. */
export function parseRollbackValue(value: unknown): RollbackTarget | undefined {
  if (typeof value !== "string" || value.length > 500) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== "object") return undefined;
  const { p, w, s, t, h } = v as Record<string, unknown>;
  const ok = (x: unknown, re: RegExp): x is string => typeof x === "string" && re.test(x);
  if (!ok(p, NAME) || !ok(w, NAME) || !ok(s, NAME)) return undefined;
  if (t !== undefined && !ok(t, TAG)) return undefined;
  if (h !== undefined && !ok(h, SHA)) return undefined;
  return { project: p, workload: w, stage: s, ...(t ? { tag: t } : {}), ...(h ? { sha: h } : {}) };
}

/** Buttons under a finished deploy: "Roll back" when it replaced something there is to go back to. */
export function buttonsFor(project: string, r: DeployResult): Button[] {
  if (r.outcome !== "success" || !r.previous) return [];
  return [
    rollbackButton({
      project,
      workload: r.workload,
      stage: r.stage,
      ...(r.tag ? { tag: r.tag } : {}),
      sha: r.sha,
    }),
  ];
}

/** A plain answer (refusals, errors): the text is trusted mrkdwn built by us. */
export function textMessage(text: string): ChatMessage {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** What `cancel-bake` adds to who asked: the channel sees why a baking release went back. */
const CANCEL_BAKE_NOTE = "with `cancel-bake` (ends the bake in progress)";

/** Who asked, under the deploy message. `user` is a Slack ID from the signed request. */
export function requestNote(
  kind: MessageKind,
  user: string,
  via: "command" | "button" = "command",
  opts: { cancelBake?: boolean } = {},
): string {
  const who = /^[UW][A-Z0-9]{2,20}$/.test(user) ? `<@${user}>` : "someone";
  if (kind === "deploy") return `requested by ${who}${opts.cancelBake ? ` ${CANCEL_BAKE_NOTE}` : ""}`;
  return `rollback requested by ${who}${via === "button" ? " with the Roll back button" : ""}`;
}

export interface Failure {
  code: string;
  /** Public and redacted already: DeployResult.error.message, never `.detail`. */
  message: string;
  hint?: string;
  /** A failed release step's last output lines, redacted by the engine. */
  output?: string[];
}

/** The thread reply under a failed deploy: why, at which step, what still serves, what to do. */
export function failureReply(e: Failure, r?: Pick<DeployResult, "steps" | "previous">): ChatMessage {
  const step = r?.steps.find((s) => !s.ok)?.name;
  const lines = [
    `*Why it failed${step ? ` (at ${escapeMrkdwn(step)})` : ""}:* ${escapeMrkdwn(capRunes(`${e.code}: ${e.message}`, 1500))}`,
  ];
  if (r?.previous) lines.push(`${escapeMrkdwn(r.previous)} still serves.`);
  if (e.hint) lines.push(`_${escapeMrkdwn(capRunes(e.hint, 500))}_`);
  // A code block; backticks inside become quotes so the output cannot end it early.
  if (e.output?.length)
    lines.push(`\`\`\`${escapeMrkdwn(capRunes(e.output.join("\n"), 1500).replaceAll("`", "'"))}\`\`\``);
  const text = lines.join("\n");
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

function statusLine(r: InstanceStatus, hosts: number): string {
  const where = `*${escapeMrkdwn(r.workload)}* · ${escapeMrkdwn(r.stage)}${r.tag ? ` (${escapeMrkdwn(r.tag)})` : ""}`;
  const sha = r.sha ? `\`${r.sha.slice(0, 7)}\`` : "-";
  const url = r.url && !/[|<>\s]/.test(r.url) ? ` <${r.url}|${escapeMrkdwn(r.url)}>` : "";
  const when = r.deployedAt ? ` since ${r.deployedAt.replace(/\.\d+Z$/, "Z")}` : "";
  const host = hosts > 1 ? ` [${escapeMrkdwn(r.host)}]` : "";
  return `${where}: ${r.state} ${sha}${url}${when}${host}`;
}

const MAX_ROWS = 40;

/** What serves, for `/deploy status PROJECT`: one line per workload+stage(+tag) and host. */
export function statusMessage(
  project: string,
  rows: readonly InstanceStatus[],
  frozen: readonly Freeze[] = [],
): ChatMessage {
  const head = `What serves in ${project}`;
  const hosts = new Set(rows.map((r) => r.host)).size;
  const blocks: Block[] = [{ type: "header", text: { type: "plain_text", text: capRunes(head, 150) } }];
  // One line per frozen stage (each of its hosts keeps a copy of the same freeze).
  const stages = [...new Map(frozen.map((f) => [f.stage, f])).values()];
  if (stages.length > 0)
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: stages
          .map((f) => `:snowflake: *${f.stage}* is ${escapeMrkdwn(capRunes(freezeText(f), 400))}`)
          .join("\n"),
      },
    });
  if (rows.length === 0) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: "nothing deployed yet" } });
    return { text: `${head}: nothing deployed yet`, blocks };
  }
  const lines = rows.slice(0, MAX_ROWS).map((r) => statusLine(r, hosts));
  if (rows.length > MAX_ROWS)
    lines.push(`… and ${rows.length - MAX_ROWS} more (\`tinyforge status\` lists all)`);
  // A section's text holds 3000 characters: ten lines a section stays well below.
  for (let i = 0; i < lines.length; i += 10)
    blocks.push({ type: "section", text: { type: "mrkdwn", text: lines.slice(i, i + 10).join("\n") } });
  return { text: `${head}: ${rows.length} instance${rows.length === 1 ? "" : "s"}`, blocks };
}
