// The job summary: what was deployed where, each step with its time, and on failure the failing
// step and the container's last output lines (already redacted: they come from the events).
import type { DeployResult } from "../deploy/types.js";
import { formatDuration } from "../config/duration.js";

export interface SummaryTable {
  heading: string;
  rows: Array<Array<string | { data: string; header: true }>>;
  lines: string[];
}

export function summaryOf(r: DeployResult, logTail: readonly string[]): SummaryTable {
  const icon = r.outcome === "success" ? "✅" : r.outcome === "unchanged" ? "⏸️" : "❌";
  const header = ["step", "time", "ok"].map((data) => ({ data, header: true as const }));
  const lines = [
    `**${r.workload}** \`${r.sha.slice(0, 12)}\` → **${r.stage}**${r.tag ? ` (${r.tag})` : ""} on ${r.host}, ${r.strategy}: **${r.outcome}** in ${formatDuration(r.durationMs)}`,
  ];
  if (r.url) lines.push(`URL: ${r.url}`);
  if (r.bake) lines.push(`Bake (${r.bake.verdict}): ${r.bake.summary}`);
  if (r.error) {
    const failed = r.steps.find((s) => !s.ok);
    lines.push(`Failed${failed ? ` at step **${failed.name}**` : ""}: ${r.error.message}`);
    if (r.previous) lines.push(`The previous release (${r.previous}) still serves.`);
    if (logTail.length)
      lines.push(`Last lines of the container's output:\n\n\`\`\`\n${logTail.join("\n")}\n\`\`\``);
  }
  return {
    heading: `${icon} tinyforge: ${r.workload} → ${r.stage}`,
    rows: [header, ...r.steps.map((s) => [s.name, formatDuration(s.ms), s.ok ? "✓" : "✗"])],
    lines,
  };
}
