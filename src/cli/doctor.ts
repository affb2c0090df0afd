// `tinyforge doctor`: what execute() found on each host and at the forge, one line per check,
// each problem followed by its hint. Exit 1 when anything is a problem.
import type { Command } from "commander";
import type { Finding } from "../app/doctor/index.js";
import { healthy } from "../app/doctor/index.js";
import { execute } from "../app/execute.js";
import { EXIT } from "../errors.js";
import type { CliContext } from "./main.js";
import { cliSession } from "./open.js";

const MARK = { ok: "ok", problem: "PROBLEM", skipped: "skipped" } as const;

export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command("doctor")
    .description(
      "check each host (SSH, host key, Docker, disk, proxy, registry, state dir, locks) and the forge token",
    )
    .option("--json", "one JSON object: {ok, findings: [{scope, check, verdict, detail, hint}]}")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      const findings = await execute(s, { kind: "doctor" });
      const good = healthy(findings);
      ctx.io.out(opts.json ? `${JSON.stringify({ ok: good, findings })}\n` : render(findings));
      if (!good) ctx.exitCode = EXIT.deployFailed;
    });
}

export function render(findings: readonly Finding[]): string {
  const lines: string[] = [];
  let scope: string | undefined;
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
  return `${lines.join("\n")}\n`;
}
