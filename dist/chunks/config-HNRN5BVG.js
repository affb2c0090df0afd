import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  cliSession,
  stageWant
} from "./chunk-DKT2S7EQ.js";
import {
  execute
} from "./chunk-V3SOIZ7Q.js";
import "./chunk-VNUKUVIF.js";
import "./chunk-WPXY34SH.js";
import "./chunk-KCBSN2NP.js";
import "./chunk-AERVUA2Y.js";
import "./chunk-73AJGAF4.js";
import "./chunk-QN2RUU3G.js";
import "./chunk-R2XRKQFI.js";
import "./chunk-FPYNHSIU.js";
import "./chunk-5TLO4YYF.js";
import "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import {
  formatDuration
} from "./chunk-B3EANRFM.js";
import "./chunk-33CLMXR5.js";
import "./chunk-QEJUOKHG.js";
import "./chunk-IXWQZFUI.js";

// src/cli/config.ts
function registerConfig(program, ctx) {
  program.command("config").description("print the effective settings of one instance (touches no host)").argument("<workload>", "workload name").option("-s, --stage <stage>", "stage (default: the only one, or the current branch's)").option("-t, --tag <tag>", "a tagged instance (pr-12, \u2026)").option("--sha <sha>", "fill {sha} in env values").option("--json", "print JSON").action(async (workload, opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    const settings = await execute(s, {
      kind: "config",
      workload,
      stage: await stageWant(s.dir, opts.stage),
      tag: opts.tag,
      sha: opts.sha
    });
    ctx.io.out(opts.json ? `${JSON.stringify(settings, null, 2)}
` : render(settings));
  });
}
function render(s) {
  const lines = [
    `${s.workload} in ${s.stage}${s.tag ? ` (tag ${s.tag})` : ""}: container ${s.container}`,
    `  source:    ${s.source}${s.image ? ` ${s.image}` : ""}`,
    `  strategy:  ${s.strategy}`,
    `  routes:    ${s.routes.join(", ")}${s.url ? ` (url ${s.url})` : " (no proxy)"}`,
    `  release:   ${s.release ? `${JSON.stringify(s.release.command)}, timeout ${formatDuration(s.release.timeoutMs)}` : "none"}`,
    `  resources: ${s.resources ? Object.entries(s.resources).map(([k, v]) => `${k} ${v}`).join(", ") || "none" : "none"}`,
    ...s.network ? [`  network:   ${s.network}`] : [],
    ...s.volumes.length ? [`  volumes:   ${s.volumes.join(", ")}`] : [],
    "  env:",
    ...Object.entries(s.env).map(([k, v]) => `    ${k}=${v}`)
  ];
  return `${lines.join("\n")}
`;
}
export {
  registerConfig,
  render
};
