// `tinyforge status [WORKLOAD] [--stage S] [--json]`
import type { Command } from "commander";
import { type InstanceStatus, status } from "../deploy/status.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { engineContext, forEachHost, openSession } from "./session.js";
import { resolveWorkloads } from "./stage.js";

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command("status")
    .description("what serves where, checked against the host's Docker engine")
    .argument("[workload]", "only this workload")
    .option("--stage <stage>", "only this stage")
    .option("--json", "print a JSON array")
    .action(async (workload: string | undefined, opts: { stage?: string; json?: boolean }, cmd: Command) => {
      const s = await openSession(cmd.optsWithGlobals<GlobalOptions>().config, ctx.env);
      if (workload) resolveWorkloads(s.config, workload);
      const rows: InstanceStatus[] = [];
      await forEachHost(s, async (host) => {
        rows.push(...(await status(engineContext(s, host, undefined), { workload, stage: opts.stage })));
        return true;
      });
      if (opts.json) {
        ctx.io.out(`${JSON.stringify(rows)}\n`);
        return;
      }
      if (rows.length === 0) {
        ctx.io.out("nothing deployed yet\n");
        return;
      }
      for (const r of rows) {
        const where = `${r.workload} ${r.stage}${r.tag ? ` (${r.tag})` : ""}`;
        ctx.io.out(
          `${where.padEnd(28)} ${r.state.padEnd(8)} ${(r.sha ?? "-").slice(0, 12).padEnd(12)} ${r.container ?? "-"}${r.url ? `  ${r.url}` : ""}${s.config.hosts.length > 1 ? `  [${r.host}]` : ""}\n`,
        );
      }
    });
}
