import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  freezeText
} from "./chunk-V3SOIZ7Q.js";
import {
  formatDuration
} from "./chunk-B3EANRFM.js";

// src/report/plan-text.ts
function renderPlan(p) {
  const what = `${p.workload}${p.tag ? ` (${p.tag})` : ""} ${p.sha.slice(0, 12)} \u2192 ${p.stage} on ${p.host}`;
  const env = p.env ? [...p.env.added.map((n) => `+${n}`), ...p.env.changed.map((n) => `~${n}`)].join(" ") || "no change" : "(nothing serves to compare with)";
  const lines = [
    `plan: ${what}${p.unchanged ? ": already serves, nothing to do" : ""}`,
    `  image:    ${p.image || "(compose's own)"} ${p.imagePresent ? "(on the host)" : "(not on the host)"}: ${p.imageAction}`,
    `  strategy: ${p.strategy}`,
    `  serving:  ${p.serving ? `${p.serving.container} (${p.serving.sha.slice(0, 12)})` : "nothing"}`,
    `  routes:   ${p.routes.map((r) => `${r.hostname} \u2192 :${r.port ?? "-"} (${r.driver}${r.tls ? ", tls" : ""})`).join(", ") || "none (no proxy)"}`,
    `  env:      ${env}`,
    `  release:  ${p.release ? `${JSON.stringify(p.release.command)}, timeout ${formatDuration(p.release.timeoutMs)}` : "none"}`,
    `  evicts:   ${p.evicts.join(", ") || "nothing"}`,
    `  frozen:   ${p.frozen ? freezeText(p.frozen).replace(/^frozen: /, "yes: ") : "no"}`,
    `  locked:   ${p.locked ? `yes: ${p.locked.owner}, deploy ${p.locked.deployId}, since ${p.locked.acquiredAt}` : "no"}`
  ];
  return `${lines.join("\n")}
`;
}

export {
  renderPlan
};
