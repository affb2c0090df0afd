// `tinyforge rollback WORKLOAD [--stage S] [--tag T] [--to DEPLOY_ID|SHA] [--json]`
import type { Command } from "commander";
import { rollback } from "../deploy/rollback.js";
import { EXIT } from "../errors.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { eventLine, headerLine, resultLine, stepLine } from "./progress.js";
import { engineContext, forEachHost, openSession } from "./session.js";
import { resolveStage, resolveWorkloads } from "./stage.js";

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
      const s = await openSession(cmd.optsWithGlobals<GlobalOptions>().config, ctx.env);
      resolveWorkloads(s.config, workload);
      const stage = await resolveStage(s.config, s.dir, opts.stage);
      await forEachHost(s, async (host) => {
        const ectx = engineContext(s, host, workload);
        if (ctx.isTTY || !opts.json) {
          ectx.onStep = (step) => ctx.io.err(stepLine(step));
          ectx.onEvent = (e) => {
            const line = eventLine(e, ctx.isTTY);
            if (line) ctx.io.err(line);
          };
          ctx.io.err(headerLine(workload, stage, host.name, "rollback"));
        }
        const r = await rollback(ectx, { workload, stage, tag: opts.tag, to: opts.to });
        ctx.io.out(opts.json ? `${JSON.stringify(r)}\n` : resultLine(r));
        if (r.outcome === "failed") {
          ctx.exitCode = EXIT.deployFailed;
          return false;
        }
        return true;
      });
    });
}
