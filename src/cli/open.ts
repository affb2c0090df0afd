// The CLI's edge: its config file and its environment, read once into an application session.
import type { Command } from "commander";
import { credentialsFromEnv, lockTtlFromEnv } from "../app/env.js";
import { environmentGrants } from "../app/grants.js";
import { openSession, type Session } from "../app/session.js";
import type { CliContext, GlobalOptions } from "./main.js";

export function cliSession(cmd: Command, ctx: CliContext): Promise<Session> {
  const env = ctx.env;
  return openSession(cmd.optsWithGlobals<GlobalOptions>().config, {
    credentials: credentialsFromEnv(env),
    // The person running the CLI is the operator: a workload's secrets come from their environment.
    grants: environmentGrants(env),
    lockTtlMs: lockTtlFromEnv(env),
    trace: env.TINYFORGE_TRACE === "1",
  });
}
