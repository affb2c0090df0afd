// `tinyforge rollback WORKLOAD [--stage S] [--tag T] [--json]`
import type { Command } from "commander";
import { rollback } from "../deploy/rollback.js";
import { EXIT } from "../errors.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { resultLine, stepLine } from "./progress.js";
import { engineContext, forEachHost, openSession } from "./session.js";
import { resolveStage, resolveWorkloads } from "./stage.js";

export function registerRollback(program: Command, ctx: CliContext): void {
  program
    .command("rollback")
    .description("go back to the previous release (its kept image, the same gate and swap)")
    .argument("<workload>")
    .option("--stage <stage>", "stage (default: the one whose branch is checked out)")
    .option("--tag <tag>", "a tagged instance")
    .option("--json", "print the deploy's JSON object")
    .action(
      async (workload: string, opts: { stage?: string; tag?: string; json?: boolean }, cmd: Command) => {
        const s = await openSession(cmd.optsWithGlobals<GlobalOptions>().config, ctx.env);
        resolveWorkloads(s.config, workload);
        const stage = await resolveStage(s.config, s.dir, opts.stage);
        await forEachHost(s, async (host) => {
          const ectx = engineContext(s, host, workload);
          if (ctx.isTTY || !opts.json) ectx.onStep = (step) => ctx.io.err(stepLine(step));
          const r = await rollback(ectx, { workload, stage, tag: opts.tag });
          ctx.io.out(opts.json ? `${JSON.stringify(r)}\n` : resultLine(r));
          if (r.outcome === "failed") {
            ctx.exitCode = EXIT.deployFailed;
            return false;
          }
          return true;
        });
      },
    );
}
