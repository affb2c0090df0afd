import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  cliSession
} from "./chunk-DKT2S7EQ.js";
import {
  execute,
  freezeText
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
import "./chunk-B3EANRFM.js";
import "./chunk-33CLMXR5.js";
import "./chunk-QEJUOKHG.js";
import "./chunk-IXWQZFUI.js";

// src/cli/status.ts
function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map(
    (r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()
  );
  return `${lines.join("\n")}
`;
}
function statusTable(rows, multiHost) {
  const swarm = rows.some((r) => r.tasks);
  const head = [
    "WORKLOAD",
    "STAGE",
    "STATE",
    "SHA",
    "CONTAINER",
    "URL",
    ...multiHost ? ["HOST"] : [],
    ...swarm ? ["TASKS"] : []
  ];
  return table([
    head,
    ...rows.map((r) => [
      r.workload,
      `${r.stage}${r.tag ? ` (${r.tag})` : ""}`,
      `${r.state}${r.split ? " (split)" : ""}${r.bake && !r.bake.interrupted ? " (baking)" : ""}`,
      `${(r.sha ?? "-").slice(0, 12)}${r.dirty ? " dirty" : ""}`,
      r.container ?? "-",
      r.url ?? "-",
      ...multiHost ? [r.host] : [],
      ...swarm ? [(r.tasks ?? []).map((t) => `${t.node} ${t.running}/${t.desired}`).join(", ") || "-"] : []
    ])
  ]);
}
function bakeLine(r) {
  const b = r.bake;
  const what = `${r.workload} in ${r.stage}${r.tag ? ` (${r.tag})` : ""}`;
  return b.interrupted ? `! ${what}: the bake of deploy ${b.deployId} never concluded (its deploy is gone); ${b.previous} may still run: run tinyforge reconcile
` : `~ ${what}: baking (deploy ${b.deployId}) until ${b.until}; ${b.previous} stands by to take the route back
`;
}
function registerStatus(program, ctx) {
  program.command("status").description("what serves where, checked against the host's Docker engine").argument("[workload]", "only this workload").option("--stage <stage>", "only this stage").option("--json", "print a JSON array").action(async (workload, opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    const { rows, last, frozen } = await execute(s, { kind: "status", workload, stage: opts.stage });
    if (opts.json) {
      const freezes = new Map(frozen.map((f) => [f.freeze.stage, f.freeze]));
      ctx.io.out(
        `${JSON.stringify(rows.map((r) => freezes.has(r.stage) ? { ...r, frozen: freezes.get(r.stage) } : r))}
`
      );
      return;
    }
    const stages = new Map(frozen.map((f) => [f.freeze.stage, f.freeze]));
    for (const [stage, f] of stages) ctx.io.out(`! ${stage} is ${freezeText(f)}
`);
    if (rows.length > 0) {
      ctx.io.out(statusTable(rows, new Set(rows.map((r) => r.host)).size > 1));
      const split = [
        ...new Set(
          rows.filter((r) => r.split).map((r) => `${r.workload} in ${r.stage}${r.tag ? ` (${r.tag})` : ""}`)
        )
      ];
      for (const what2 of split)
        ctx.io.out(`! ${what2}: the hosts serve different releases: run tinyforge reconcile
`);
      for (const r of rows) if (r.bake) ctx.io.out(bakeLine(r));
      return;
    }
    const what = [workload, opts.stage].filter(Boolean).join(" in ") || s.config.project;
    ctx.io.out(
      last ? `nothing serves ${what}: torn down (last deploy ${last.deployId}: ${last.workload} ${last.sha.slice(0, 12)} \u2192 ${last.stage}, ${last.startedAt.slice(0, 16).replace("T", " ")})
` : "nothing deployed yet\n"
    );
  });
}
export {
  registerStatus
};
