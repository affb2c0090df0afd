// A plan (src/app/plan.ts) in words, the same for the CLI, a PR reply and Slack (in a code block).
// Env is shown by name only: `+NAME` new, `~NAME` a different value.
import type { PlanResult } from "../app/plan.js";
import { formatDuration } from "../config/duration.js";
import { freezeText } from "../deploy/freeze.js";

export function renderPlan(p: PlanResult): string {
  const what = `${p.workload}${p.tag ? ` (${p.tag})` : ""} ${p.sha.slice(0, 12)} → ${p.stage} on ${p.host}`;
  const env = p.env
    ? [...p.env.added.map((n) => `+${n}`), ...p.env.changed.map((n) => `~${n}`)].join(" ") || "no change"
    : "(nothing serves to compare with)";
  const lines = [
    `plan: ${what}${p.unchanged ? ": already serves, nothing to do" : ""}`,
    `  image:    ${p.image || "(compose's own)"} ${p.imagePresent ? "(on the host)" : "(not on the host)"}: ${p.imageAction}`,
    `  strategy: ${p.strategy}`,
    `  serving:  ${p.serving ? `${p.serving.container} (${p.serving.sha.slice(0, 12)})` : "nothing"}`,
    `  routes:   ${p.routes.map((r) => `${r.hostname} → :${r.port ?? "-"} (${r.driver}${r.tls ? ", tls" : ""})`).join(", ") || "none (no proxy)"}`,
    `  env:      ${env}`,
    `  release:  ${p.release ? `${JSON.stringify(p.release.command)}, timeout ${formatDuration(p.release.timeoutMs)}` : "none"}`,
    `  evicts:   ${p.evicts.join(", ") || "nothing"}`,
    `  frozen:   ${p.frozen ? freezeText(p.frozen).replace(/^frozen: /, "yes: ") : "no"}`,
    `  locked:   ${p.locked ? `yes: ${p.locked.owner}, deploy ${p.locked.deployId}, since ${p.locked.acquiredAt}` : "no"}`,
  ];
  return `${lines.join("\n")}\n`;
}
