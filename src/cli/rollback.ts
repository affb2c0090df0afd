// `tinyforge rollback WORKLOAD [--stage S] [--tag T] [--to DEPLOY_ID|SHA] [--json]`
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import { EXIT } from "../errors.js";
import type { CliContext } from "./main.js";
import { cliSession, stageWant } from "./open.js";
import { eventLine, headerLine, resultLine, stepLine } from "./progress.js";

interface RollbackOptions {
  stage?: string;
  tag?: string;
  to?: string;
  json?: boolean;
}

export function registerRollback(program: Command, ctx: CliContext): void {
  program
    .command("rollback")
    .description("go back to an earlier kept release (its image, the same gate and swap)")
    .argument("<workload>")
    .option("--stage <stage>", "stage (default: the one whose branch is checked out)")
    .option("--tag <tag>", "a tagged instance")
    .option("--to <release>", "a kept release's deploy id or SHA (default: the one before the serving one)")
    .option("--json", "print the deploy's JSON object")
    .action(async (workload: string, opts: RollbackOptions, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      const progress = ctx.isTTY || !opts.json;
      const results = await execute(
        s,
        { kind: "rollback", workload, stage: await stageWant(s.dir, opts.stage), tag: opts.tag, to: opts.to },
        {
          ...(progress
            ? {
                onStart: (at) => ctx.io.err(headerLine(at.workload, at.stage, at.host, "rollback")),
                onStep: (step) => ctx.io.err(stepLine(step)),
                onEvent: (e) => {
                  const line = eventLine(e, ctx.isTTY);
                  if (line) ctx.io.err(line);
                },
              }
            : {}),
          onResult: (r) => ctx.io.out(opts.json ? `${JSON.stringify(r)}\n` : resultLine(r)),
        },
      );
      if (results.some((r) => r.outcome === "failed")) ctx.exitCode = EXIT.deployFailed;
    });
}
