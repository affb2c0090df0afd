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
  healthy
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
import {
  EXIT
} from "./chunk-33CLMXR5.js";
import "./chunk-QEJUOKHG.js";
import "./chunk-IXWQZFUI.js";

// src/cli/doctor.ts
var MARK = { ok: "ok", problem: "PROBLEM", skipped: "skipped" };
function registerDoctor(program, ctx) {
  program.command("doctor").description(
    "check each host (SSH, host key, Docker, disk, proxy, registry, state dir, locks) and the forge token"
  ).option("--json", "one JSON object: {ok, findings: [{scope, check, verdict, detail, hint}]}").action(async (opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    const findings = await execute(s, { kind: "doctor" });
    const good = healthy(findings);
    ctx.io.out(opts.json ? `${JSON.stringify({ ok: good, findings })}
` : render(findings));
    if (!good) ctx.exitCode = EXIT.deployFailed;
  });
}
function render(findings) {
  const lines = [];
  let scope;
  for (const f of findings) {
    if (f.scope !== scope) {
      scope = f.scope;
      lines.push(scope);
    }
    lines.push(`  ${MARK[f.verdict].padEnd(8)} ${f.check.padEnd(12)} ${f.detail}`);
    if (f.verdict === "problem" && f.hint) lines.push(`  ${"".padEnd(8)} ${"".padEnd(12)} hint: ${f.hint}`);
  }
  const problems = findings.filter((f) => f.verdict === "problem").length;
  lines.push(problems === 0 ? "all good" : `${problems} problem${problems === 1 ? "" : "s"}`);
  return `${lines.join("\n")}
`;
}
export {
  registerDoctor,
  render
};
