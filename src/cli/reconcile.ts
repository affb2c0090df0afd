// `tinyforge reconcile`: put every workload+stage of the project right (orphans removed, stopped
// active containers restarted, drifted routes repointed) and say what was done.
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import type { CliContext } from "./main.js";
import { cliSession } from "./open.js";

export function registerReconcile(program: Command, ctx: CliContext): void {
  program
    .command("reconcile")
    .description("make each host agree with its recorded state, and report what was done")
    .action(async (_opts: unknown, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      for (const { host, lines } of await execute(s, { kind: "reconcile" })) {
        for (const l of lines) ctx.io.out(`${host}: ${l}\n`);
        if (lines.length === 0) ctx.io.out(`${host}: in order, nothing to do\n`);
      }
    });
}
