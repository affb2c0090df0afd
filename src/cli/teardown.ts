// `tinyforge teardown WORKLOAD --stage S [--tag T]`: remove one instance — route, containers, state.
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import type { CliContext } from "./main.js";
import { cliSession } from "./open.js";

export function registerTeardown(program: Command, ctx: CliContext): void {
  program
    .command("teardown")
    .description("remove one instance of a workload: its route, containers and state")
    .argument("<workload>")
    .requiredOption("--stage <stage>", "stage of the instance")
    .option("--tag <tag>", "the tagged instance (e.g. pr-12); without it, the stage's untagged one")
    .action(async (workload: string, opts: { stage: string; tag?: string }, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      const removed = await execute(s, {
        kind: "teardown",
        workload,
        stage: { stage: opts.stage },
        tag: opts.tag,
      });
      for (const r of removed)
        ctx.io.out(
          r.lines.length
            ? r.lines.map((l) => `${r.host}: ${l}\n`).join("")
            : `${r.host}: ${r.key}: nothing deployed\n`,
        );
    });
}
