import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  formatDuration
} from "./chunk-B3EANRFM.js";

// src/cli/progress.ts
function headerLine(workload, stage, host, note) {
  return `${workload} \u2192 ${stage} on ${host}${note ? ` (${note})` : ""}
`;
}
function stepLine(s) {
  return `  ${s.ok ? "\u2713" : "\u2717"} ${s.name.padEnd(9)} ${formatDuration(s.ms).padStart(7)}
`;
}
function eventLine(e, verbose = false) {
  if (verbose && e.level === "debug" && (e.step === "build" || e.step === "pull") && e.msg !== "started") {
    return `    \u2502 ${e.msg}
`;
  }
  if (e.level === "info" && e.step === "report") return `  \xB7 ${e.step}: ${e.msg}
`;
  if (e.level !== "warn" && e.level !== "error") return void 0;
  if (e.step === "deploy" || /^failed after/.test(e.msg)) return void 0;
  return `  ${e.level === "warn" ? "!" : "\u2717"} ${e.step}: ${e.msg}
`;
}
function outputLines(r) {
  return (r.error?.output ?? []).map((l) => `
  | ${l}`).join("");
}
function resultLine(r) {
  const what = `${r.workload} ${r.sha.slice(0, 12)}${r.dirty ? " (dirty)" : ""} \u2192 ${r.stage}${r.tag ? ` (${r.tag})` : ""}`;
  switch (r.outcome) {
    case "success":
      if (r.rollback)
        return `rolled back ${r.workload} ${r.rollback.from.sha.slice(0, 12)} \u2192 ${r.rollback.to.sha.slice(0, 12)} in ${r.stage}${r.tag ? ` (${r.tag})` : ""} in ${formatDuration(r.durationMs)}: ${r.container}${r.url ? ` at ${r.url}` : ""}
`;
      return `deployed ${what} in ${formatDuration(r.durationMs)}: ${r.container}${r.url ? ` at ${r.url}` : ""}
`;
    case "unchanged":
      return `unchanged: ${what} already serves${r.url ? ` at ${r.url}` : ""}
`;
    default:
      return `deploy failed: ${what}: ${r.error?.detail ?? r.error?.message ?? "unknown error"}${outputLines(r)}${r.previous ? `
  the previous release (${r.previous}) still serves` : ""}${r.error?.hint ? `
hint: ${r.error.hint}` : ""}
`;
  }
}

export {
  headerLine,
  stepLine,
  eventLine,
  resultLine
};
