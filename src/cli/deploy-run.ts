// `tinyforge deploy`, once the command line is parsed: loaded after the SSH login has begun
// (deploy.ts), so that loading the validator and the engine overlaps the handshake.
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { resolveCommit } from "../adapters/git.js";
import { execute } from "../app/execute.js";
import type { EarlyLogins } from "../app/early-login.js";
import type { Observers } from "../app/operation.js";
import { holdConnections, readyEarlyHosts } from "../app/session.js";
import { resolveStage, resolveWorkloads, stageHosts } from "../app/stages.js";
import { workloadOf } from "../config/lookup.js";
import { sourceTree } from "../deploy/source-tree.js";
import { EXIT } from "../errors.js";
import type { DeployOptions } from "./deploy.js";
import { cliActor } from "./freeze.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { cliSession, stageWant } from "./open.js";
import { eventLine, headerLine, resultLine, stepLine } from "./progress.js";

export async function runDeploy(
  workload: string | undefined,
  opts: DeployOptions,
  cmd: Command,
  ctx: CliContext,
  /** What the command began before it loaded this: its logins, git's answer for the branch. */
  head: { early: EarlyLogins; checkedOut?: { branch: string | undefined } },
  text: string | undefined,
): Promise<void> {
  const { early, checkedOut } = head;
  // git answers what the commit is while the config is validated; asked, not yet believed: its
  // error comes after the config's, as before.
  const file = cmd.optsWithGlobals<GlobalOptions>().config;
  const resolved = resolveCommit(dirname(resolve(file)), opts);
  resolved.catch(() => undefined);
  readyEarlyHosts(early);
  const s = await cliSession(cmd, ctx, text);
  // Names first, then secrets, then git: a typo is reported as itself, wherever the command runs.
  const stage = resolveStage(s.config, await stageWant(s.dir, opts.stage, checkedOut));
  const workloads = resolveWorkloads(s.config, workload);
  for (const w of workloads) s.grants.secrets(s.config, w, stage);
  const held = holdConnections(s, stageHosts(s.config, stage), early);
  // The files built are the recorded commit's (or the changed checkout, said to be dirty).
  const tree = await sourceTree(
    s.dir,
    s.file,
    workloads.map((w) => workloadOf(s.config, w)),
    opts,
    resolved,
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
