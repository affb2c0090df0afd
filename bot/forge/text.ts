// What the bot writes on a pull request: the preview comment (one per PR and project, found again
// by its hidden marker and edited in place) and the reply to a /deploy comment. Pure.
import { formatDuration } from "../../src/config/duration.js";
import { capRunes } from "../../src/events/redact.js";
import type { DeployResult } from "../../src/deploy/types.js";
import type { Outcome } from "../runner.js";

export type RowState =
  | "queued"
  | "waiting"
  | "deploying"
  | "success"
  | "unchanged"
  | "failed"
  | "superseded"
  | "removed";

export interface Row {
  workload: string;
  stage: string;
  state: RowState;
  sha: string;
  url?: string | null;
  /** Failure reason (already public and redacted by the engine) or duration. */
  detail?: string;
}

export interface PreviewView {
  project: string;
  tag: string;
  rows: Row[];
  /** Why nothing could be deployed (an invalid tinyforge.yml), at which commit. */
  problem?: { sha: string; lines: string[] };
  closed?: boolean;
  /** Why the preview is gone while the PR is open (its label removed, its preview_ttl passed). */
  ended?: string;
}

/** The hidden line that finds this project's preview comment again on a later event. */
export function marker(project: string): string {
  return `<!-- tinyforge:preview:${project} -->`;
}

/** Text from a deploy (an error message) made safe for a Markdown table cell. */
export function cell(text: string): string {
  return (
    capRunes(text.replace(/\s+/g, " "), 200)
      // Not "_": intraword underscores (deploy_strategy) are literal in GitHub's and Gitea's Markdown.
      .replace(/[\\`*|<>[\]]/g, (c) => `\\${c}`)
      .replace(/@/g, "@\u200b")
  ); // no accidental mentions
}

const short = (sha: string) => sha.slice(0, 7);

const LABEL: Record<RowState, string> = {
  queued: "⏳ queued",
  waiting: "⏳ waiting for CI",
  deploying: "🚀 deploying",
  success: "✅ deployed",
  unchanged: "✅ up to date",
  failed: "❌ failed",
  superseded: "⏭️ superseded by a newer commit",
  removed: "🧹 removed",
};

export function renderPreview(v: PreviewView): string {
  const out = [marker(v.project), `### tinyforge preview \`${v.tag}\``, ""];
  if (v.problem) {
    out.push(
      `❌ **tinyforge.yml is invalid** at \`${short(v.problem.sha)}\`; nothing was deployed. Fix it and push again:`,
      "",
      ...v.problem.lines.map((l) => `- ${cell(l)}`),
      "",
    );
  }
  if (v.rows.length > 0) {
    out.push("| workload | stage | commit | status | URL |", "| --- | --- | --- | --- | --- |");
    for (const r of v.rows) {
      const status = `${LABEL[r.state]}${r.detail ? `: ${cell(r.detail)}` : ""}`;
      const url = r.url && r.state !== "removed" ? r.url : "";
      out.push(`| ${r.workload} | ${r.stage} | \`${short(r.sha)}\` | ${status} | ${url} |`);
    }
    out.push("");
  }
  out.push(
    v.closed
      ? "The pull request was closed: its preview is torn down."
      : v.ended
        ? v.ended
        : "<sub>Updated on every push to this pull request; the preview is removed when it closes.</sub>",
  );
  return out.join("\n");
}

/** A row for a workload's outcome as the runner reports it. */
export function rowOf(o: Outcome, sha: string): Row {
  if (!isDeploy(o)) return { workload: o.workload, stage: o.stage, state: o.outcome, sha };
  return {
    workload: o.workload,
    stage: o.stage,
    state: o.outcome,
    sha: o.sha,
    url: o.url,
    detail:
      o.outcome === "failed"
        ? (o.error?.message ?? "unknown error")
        : o.outcome === "success"
          ? `in ${formatDuration(o.durationMs)}${o.bake ? `; ${o.bake.summary}` : ""}`
          : undefined,
  };
}

/** A deploy's result, as opposed to a removal or a job a newer push replaced. */
export function isDeploy(o: Outcome): o is DeployResult {
  return "deployId" in o;
}

/** The reply to a /deploy or /rollback comment: one line per workload. */
export function replyLines(verb: "deploy" | "rollback", outcomes: Outcome[]): string[] {
  return outcomes.map((o) => {
    const what = `\`${o.workload}\`${o.tag ? ` (${o.tag})` : ""} to ${o.stage}`;
    if (o.outcome === "removed") return `🧹 removed ${what}`;
    if (o.outcome === "superseded" || !isDeploy(o))
      return `⏭️ ${what}: superseded by a newer push before it ran`;
    if (o.outcome === "failed")
      return `❌ ${verb} of ${what} failed: ${cell(o.error?.message ?? "unknown error")}${o.previous ? ` (${o.previous} still serves)` : ""}`;
    if (o.outcome === "unchanged")
      return `✅ ${what}: \`${short(o.sha)}\` already serves${o.url ? ` at ${o.url}` : ""}`;
    const did = verb === "rollback" ? "rolled back" : "deployed";
    const baked = o.bake ? ` (${cell(o.bake.summary)})` : "";
    return `✅ ${did} ${what} at \`${short(o.sha)}\` in ${formatDuration(o.durationMs)}${baked}${o.url ? `: ${o.url}` : ""}`;
  });
}
