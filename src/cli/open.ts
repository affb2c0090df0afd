// The CLI's edge: its config file and its environment, read once into an application session,
// and the stage a command means when it names none.
import { basename } from "node:path";
import type { Command } from "commander";
import { currentBranch } from "../adapters/git.js";
import { credentialsFromEnv, lockTtlFromEnv } from "../app/env.js";
import { environmentGrants } from "../app/grants.js";
import { openSession, type Session } from "../app/session.js";
import type { StageWant } from "../app/stages.js";
import type { CliContext, GlobalOptions } from "./main.js";

/** `text`: the config file's contents, when the command has read them already. */
export function cliSession(cmd: Command, ctx: CliContext, text?: string): Promise<Session> {
  const env = ctx.env;
  const file = cmd.optsWithGlobals<GlobalOptions>().config;
  const inputs = {
    credentials: credentialsFromEnv(env),
    // The person running the CLI is the operator: a workload's secrets come from their environment.
    grants: environmentGrants(env),
    lockTtlMs: lockTtlFromEnv(env),
    trace: env.TINYFORGE_TRACE === "1",
  };
  return openSession(file, inputs, basename(file), text);
}

/**
 * --stage, else the stage whose branch is checked out, else the only one. `checkedOut`: git's
 * answer for the branch when the command has asked already (a deploy's head start).
 */
export async function stageWant(
  dir: string,
  stage: string | undefined,
  checkedOut?: { branch: string | undefined },
): Promise<StageWant> {
  return {
    stage,
    branch: stage === undefined ? (checkedOut ? checkedOut.branch : await currentBranch(dir)) : undefined,
    guess: "only-stage",
    ask: "--stage",
  };
}
