// `tinyforge status [WORKLOAD] [--stage S] [--json]`
import type { Command } from "commander";
import { type InstanceStatus, lastDeploy, status } from "../deploy/status.js";
import type { DeployRecord } from "../state/model.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { engineContext, forEachHost, openSession } from "./session.js";
import { resolveWorkloads } from "./stage.js";

/** Left-aligned columns as wide as their widest cell, two spaces apart. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n`;
}

function statusTable(rows: InstanceStatus[], multiHost: boolean): string {
  const head = ["WORKLOAD", "STAGE", "STATE", "SHA", "CONTAINER", "URL", ...(multiHost ? ["HOST"] : [])];
  return table([
    head,
    ...rows.map((r) => [
      r.workload,
      `${r.stage}${r.tag ? ` (${r.tag})` : ""}`,
      r.state,
      `${(r.sha ?? "-").slice(0, 12)}${r.dirty ? " dirty" : ""}`,
      r.container ?? "-",
      r.url ?? "-",
      ...(multiHost ? [r.host] : []),
    ]),
  ]);
}

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
      const filter = { workload, stage: opts.stage };
      const rows: InstanceStatus[] = [];
      let last: DeployRecord | undefined;
      await forEachHost(s, async (host) => {
        const ectx = engineContext(s, host, undefined);
        rows.push(...(await status(ectx, filter)));
        // Nothing serves: torn down (history exists) is not the same as never deployed.
        if (rows.length === 0) last ??= await lastDeploy(ectx, filter);
        return true;
      });
      if (opts.json) {
        ctx.io.out(`${JSON.stringify(rows)}\n`);
        return;
      }
      if (rows.length > 0) {
        ctx.io.out(statusTable(rows, s.config.hosts.length > 1));
        return;
      }
      const what = [workload, opts.stage].filter(Boolean).join(" in ") || s.config.project;
      ctx.io.out(
        last
          ? `nothing serves ${what}: torn down (last deploy ${last.deployId}: ${last.workload} ${last.sha.slice(0, 12)} → ${last.stage}, ${last.startedAt.slice(0, 16).replace("T", " ")})\n`
          : "nothing deployed yet\n",
      );
    });
}
