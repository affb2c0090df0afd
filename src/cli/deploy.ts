// `tinyforge deploy [WORKLOAD]`: parse → engine → render. Exit 0 success/unchanged, 1 failed
// (the old version still serves), 2 usage/config, 3 lock held, 4 host unreachable.
import { type Command, Option } from "commander";
import type { Strategy } from "../config/schema.js";
import { deploy } from "../deploy/deploy.js";
import type { DeployResult } from "../deploy/types.js";
import { EXIT } from "../errors.js";
import { sourceTree } from "../deploy/source-tree.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { eventLine, headerLine, resultLine, stepLine } from "./progress.js";
import { engineContext, forEachHost, openSession } from "./session.js";
import { workloadSecrets } from "./settings.js";
import { checkProxySecrets } from "../adapters/proxy/index.js";
import { resolveStage, resolveWorkloads } from "./stage.js";

interface DeployOptions {
  stage?: string;
  sha?: string;
  ref?: string;
  tag?: string;
  strategy?: Strategy;
  allowDirty?: boolean;
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
    .option("--json", "print one JSON object per deploy on stdout")
    .action(async (workload: string | undefined, opts: DeployOptions, cmd: Command) => {
      const s = await openSession(cmd.optsWithGlobals<GlobalOptions>().config, ctx.env);
      const stage = await resolveStage(s.config, s.dir, opts.stage);
      const workloads = resolveWorkloads(s.config, workload);
      // Read every workload's secrets before touching a host: a missing one is exit 2, nothing done.
      for (const w of workloads) workloadSecrets(s.config, w, s.env);
      checkProxySecrets(s.config, s.settings);
      // The files built are the recorded commit's (or the changed checkout, said to be dirty).
      const tree = await sourceTree(
        s.dir,
        s.file,
        workloads.map((w) => s.config.workloads[w]!),
        opts,
      );
      const showProgress = ctx.isTTY || !opts.json;
      const results: DeployResult[] = [];
      await forEachHost(s, async (host) => {
        for (const w of workloads) {
          const ectx = { ...engineContext(s, host, w), configDir: tree.dir };
          if (showProgress) {
            ectx.onStep = (step) => ctx.io.err(stepLine(step));
            ectx.onEvent = (e) => {
              const line = eventLine(e, ctx.isTTY);
              if (line) ctx.io.err(line);
            };
            ctx.io.err(headerLine(w, stage, host.name));
          }
          const kill = ctx.env.TINYFORGE_FAULT_KILL_AFTER;
          if (kill) {
            // Fault injection for the crash matrix: die like a killed runner right after a step.
            const print = ectx.onStep;
            ectx.onStep = (step) => {
              print?.(step);
              if (step.name === kill) process.kill(process.pid, "SIGKILL");
            };
          }
          const r = await deploy(ectx, {
            workload: w,
            stage,
            sha: tree.sha,
            ...(tree.dirty ? { dirty: true } : {}),
            ref: opts.ref,
            tag: opts.tag,
            strategy: opts.strategy,
          });
          results.push(r);
          if (opts.json) ctx.io.out(`${JSON.stringify(r)}\n`);
          else ctx.io.out(resultLine(r));
          if (r.outcome === "failed") {
            ctx.exitCode = EXIT.deployFailed;
            return false;
          }
        }
        return true;
      }).finally(() => tree.dispose());
    });
}
