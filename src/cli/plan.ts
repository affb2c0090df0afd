// `tinyforge plan [WORKLOAD] [--stage S] [--sha SHA|--ref REF] [--tag T] [--json]`: what a deploy
// would do, read from the hosts without changing anything.
import { type Command, Option } from "commander";
import { resolveCommit } from "../adapters/git.js";
import { execute } from "../app/execute.js";
import type { Strategy } from "../config/schema.js";
import { renderPlan } from "../report/plan-text.js";
import type { CliContext } from "./main.js";
import { cliSession, stageWant } from "./open.js";

interface PlanOptions {
  stage?: string;
  sha?: string;
  ref?: string;
  tag?: string;
  strategy?: Strategy;
  json?: boolean;
}

export function registerPlan(program: Command, ctx: CliContext): void {
  program
    .command("plan")
    .description(
      "show what a deploy would do (image, strategy, routes, env names, evictions, freeze, lock); touches nothing",
    )
    .argument("[workload]", "workload (default: all)")
    .option("--stage <stage>", "target stage (default: the one whose branch is checked out)")
    .option("--sha <sha>", "commit (default: the checkout's HEAD)")
    .option("--ref <ref>", "branch or tag to resolve to a commit")
    .option("--tag <tag>", "a tagged instance (e.g. pr-12)")
    .addOption(
      new Option("--strategy <strategy>", "as deploy --strategy").choices(["recreate", "blue-green"]),
    )
    .option("--json", "print a JSON array, one object per workload and host")
    .action(async (workload: string | undefined, opts: PlanOptions, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      const stage = await stageWant(s.dir, opts.stage);
      const sha = await resolveCommit(s.dir, opts);
      const plans = await execute(s, {
        kind: "plan",
        stage,
        workload,
        sha,
        ref: opts.ref,
        tag: opts.tag,
        strategy: opts.strategy,
      });
      ctx.io.out(opts.json ? `${JSON.stringify(plans, null, 2)}\n` : plans.map(renderPlan).join("\n"));
    });
}
