// What a person at a terminal sees: a line per step as it ends, with its time, and the outcome.
import { formatDuration } from "../config/duration.js";
import type { DeployResult } from "../deploy/types.js";
import type { DeployEvent, StepRecord } from "../state/model.js";

/** The line before a deploy's (or a rollback's) steps: what goes where. */
export function headerLine(workload: string, stage: string, host: string, note?: string): string {
  return `${workload} → ${stage} on ${host}${note ? ` (${note})` : ""}\n`;
}

export function stepLine(s: StepRecord): string {
  return `  ${s.ok ? "✓" : "✗"} ${s.name.padEnd(9)} ${formatDuration(s.ms).padStart(7)}\n`;
}

/**
 * Warnings and errors are worth a line of their own; info lines are the steps' business. At a
 * terminal, build and pull output streams as it comes, indented under its step.
 */
export function eventLine(e: DeployEvent, verbose = false): string | undefined {
  if (verbose && e.level === "debug" && (e.step === "build" || e.step === "pull") && e.msg !== "started") {
    return `    │ ${e.msg}\n`;
  }
  // "Said once": a reporter that cannot report (no token) explains itself on a line of its own.
  if (e.level === "info" && e.step === "report") return `  · ${e.step}: ${e.msg}\n`;
  if (e.level !== "warn" && e.level !== "error") return undefined;
  if (e.step === "deploy" || /^failed after/.test(e.msg)) return undefined;
  return `  ${e.level === "warn" ? "!" : "✗"} ${e.step}: ${e.msg}\n`;
}

/** A failed release's last output lines, indented under the failure. */
function outputLines(r: DeployResult): string {
  return (r.error?.output ?? []).map((l) => `\n  | ${l}`).join("");
}

export function resultLine(r: DeployResult): string {
  const what = `${r.workload} ${r.sha.slice(0, 12)}${r.dirty ? " (dirty)" : ""} → ${r.stage}${r.tag ? ` (${r.tag})` : ""}`;
  switch (r.outcome) {
    case "success":
      if (r.rollback)
        return `rolled back ${r.workload} ${r.rollback.from.sha.slice(0, 12)} → ${r.rollback.to.sha.slice(0, 12)} in ${r.stage}${r.tag ? ` (${r.tag})` : ""} in ${formatDuration(r.durationMs)}: ${r.container}${r.url ? ` at ${r.url}` : ""}\n`;
      return `deployed ${what} in ${formatDuration(r.durationMs)}: ${r.container}${r.url ? ` at ${r.url}` : ""}\n`;
    case "unchanged":
      return `unchanged: ${what} already serves${r.url ? ` at ${r.url}` : ""}\n`;
    default:
      return `deploy failed: ${what}: ${r.error?.detail ?? r.error?.message ?? "unknown error"}${outputLines(r)}${r.previous ? `\n  the previous release (${r.previous}) still serves` : ""}${r.error?.hint ? `\nhint: ${r.error.hint}` : ""}\n`;
  }
}
