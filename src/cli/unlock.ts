// `tinyforge unlock WORKLOAD --stage S`: the documented way out when a deploy's process is known
// to be gone and its lease has not expired yet (it would, by itself, within the lease TTL).
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import type { CliContext } from "./main.js";
import { cliSession } from "./open.js";

export function registerUnlock(program: Command, ctx: CliContext): void {
  program
    .command("unlock")
    .description("remove a workload+stage deploy lock whose holder is gone")
    .argument("<workload>")
    .requiredOption("--stage <stage>", "stage of the lock")
    .action(async (workload: string, opts: { stage: string }, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      for (const u of await execute(s, { kind: "unlock", workload, stage: opts.stage })) {
        ctx.io.out(
          u.holder
            ? `${u.host}: removed the lock of ${workload}/${opts.stage} held by ${u.holder.owner} (deploy ${u.holder.deployId})\n`
            : `${u.host}: ${workload}/${opts.stage} was not locked\n`,
        );
      }
    });
}
