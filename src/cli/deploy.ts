// `tinyforge deploy [WORKLOAD]`: parse → engine → render. Exit 0 success/unchanged, 1 failed
// (the old version still serves), 2 usage/config, 3 lock held, 4 host unreachable, 5 frozen.
import { type Command, Option } from "commander";
import { execute } from "../app/execute.js";
import type { Observers } from "../app/operation.js";
import { holdConnections } from "../app/session.js";
import { resolveStage, resolveWorkloads, stageHosts } from "../app/stages.js";
import { workloadOf } from "../config/lookup.js";
import type { Strategy } from "../config/schema.js";
import { sourceTree } from "../deploy/source-tree.js";
import { EXIT } from "../errors.js";
import { cliActor } from "./freeze.js";
import type { CliContext } from "./main.js";
import { cliSession, stageWant } from "./open.js";
import { eventLine, headerLine, resultLine, stepLine } from "./progress.js";

interface DeployOptions {
  stage?: string;
  sha?: string;
  ref?: string;
  tag?: string;
  strategy?: Strategy;
  allowDirty?: boolean;
  cancelBake?: boolean;
  force?: boolean;
  json?: boolean;
}

export function registerDeploy(program: Command, ctx: CliContext): void {
  program
    .command("deploy")
    .description("build or pull, start beside the old version, gate, swap, retire the old one")
    .argument("[workload]", "workload to deploy (default: all)")
    .option("--stage <stage>", "target stage (default: the one whose branch is checked out)")
    .option("--sha <sha>", "commit to deploy (default: the checkout's HEAD)")
    .option("--ref <ref>", "branch or tag to resolve to a commit")
    .option("--allow-dirty", "build the checkout with its uncommitted changes, recorded as dirty")
    .option("--tag <tag>", "run as a tagged instance beside the stage's others (e.g. pr-12)")
    .addOption(
      new Option("--strategy <strategy>", "override the workload's strategy").choices([
        "recreate",
        "blue-green",
      ]),
    )
    .option(
      "--cancel-bake",
      "a deploy of the same workload+stage that is baking ends its bake now (it reverts); then this one runs",
    )
    .option("--force", "deploy even though the stage is frozen (the override is recorded)")
    .option("--json", "print one JSON object per deploy on stdout")
    .action(async (workload: string | undefined, opts: DeployOptions, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      // Names first, then secrets, then git: a typo is reported as itself, wherever the command runs.
      const stage = resolveStage(s.config, await stageWant(s.dir, opts.stage));
      const workloads = resolveWorkloads(s.config, workload);
      for (const w of workloads) s.grants.secrets(s.config, w, stage);
      const held = holdConnections(s, stageHosts(s.config, stage));
      // The files built are the recorded commit's (or the changed checkout, said to be dirty).
      const tree = await sourceTree(
        s.dir,
        s.file,
        workloads.map((w) => workloadOf(s.config, w)),
        opts,
      ).catch(async (e) => {
        await held.release();
        throw e;
      });
      try {
        const results = await execute(
          s,
          {
            kind: "deploy",
            stage: { stage },
            workload,
            sha: tree.sha,
            ...(tree.dirty ? { dirty: true } : {}),
            sourceDir: tree.dir,
            ref: opts.ref,
            tag: opts.tag,
            strategy: opts.strategy,
            ...(opts.cancelBake ? { cancelBake: true } : {}),
            ...(opts.force ? { force: true } : {}),
            actor: cliActor(),
          },
          observers(ctx, opts.json),
        );
        if (results.some((r) => r.outcome === "failed")) ctx.exitCode = EXIT.deployFailed;
      } finally {
        await held.release();
        await tree.dispose();
      }
    });
}

function observers(ctx: CliContext, json: boolean | undefined): Observers {
  const obs: Observers = {
    onResult: (r) => ctx.io.out(json ? `${JSON.stringify(r)}\n` : resultLine(r)),
  };
  if (ctx.isTTY || !json) {
    obs.onStart = (at) => ctx.io.err(headerLine(at.workload, at.stage, at.host));
    obs.onStep = (step) => ctx.io.err(stepLine(step));
    obs.onEvent = (e) => {
      const line = eventLine(e, ctx.isTTY);
      if (line) ctx.io.err(line);
    };
  }
  const kill = ctx.env.TINYFORGE_FAULT_KILL_AFTER;
  if (kill) {
    // Fault injection for the crash matrix: die like a killed runner right after a step.
    const print = obs.onStep;
    obs.onStep = (step, at) => {
      print?.(step, at);
      if (step.name === kill) process.kill(process.pid, "SIGKILL");
    };
  }
  return obs;
}
