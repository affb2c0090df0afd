// `tinyforge deploy [WORKLOAD]`: parse → engine → render. Exit 0 success/unchanged, 1 failed
// (the old version still serves), 2 usage/config, 3 lock held, 4 host unreachable, 5 frozen.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type Command, Option } from "commander";
import { dropEarlyLogins, loginEarly, stageOfBranch } from "../app/early-login.js";
import { currentBranchNow } from "../adapters/git.js";
import type { Strategy } from "../config/schema.js";
import type { CliContext, GlobalOptions } from "./main.js";

export interface DeployOptions {
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
      // The SSH login to the stage's hosts begins before the validator and the engine load (a few
      // hundred ms here), so that by the time the config is valid the handshake is mostly done.
      const file = cmd.optsWithGlobals<GlobalOptions>().config;
      const text = readText(file);
      // With no --stage and several stages, the stage is the checked-out branch's (as stageWant
      // finds it), asked of git only then, and that answer is the deploy's too.
      let checkedOut: { branch: string | undefined } | undefined;
      const early = loginEarly(text, opts.stage, ctx.env, {
        likelyStage: (stages) => {
          checkedOut = { branch: currentBranchNow(dirname(resolve(file))) };
          return stageOfBranch(stages, checkedOut.branch);
        },
      });
      try {
        // The SSH client loads first and takes the connections over, so the handshake is not
        // queued behind the engine's modules (which load while it runs).
        await Promise.all([...early.values()].map((e) => e.begun));
        const { runDeploy } = await import("./deploy-run.js");
        await runDeploy(workload, opts, cmd, ctx, { early, checkedOut }, text);
      } finally {
        // Those the deploy did not take (an invalid config, another stage): closed, not left open.
        dropEarlyLogins(early.values());
      }
    });
}

/** The config file's text, or undefined for the validator to report why it cannot be read. */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
