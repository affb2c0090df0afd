// `tinyforge freeze STAGE --reason TEXT [--until ISO8601]` and `tinyforge unfreeze STAGE`: the
// freeze is written on every host of the stage, so the action and the bot refuse it too (exit 5).
import { hostname as machineName, userInfo } from "node:os";
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import { freezeText } from "../deploy/freeze.js";
import type { CliContext } from "./main.js";
import { cliSession } from "./open.js";

/** Who runs the CLI, as a freeze or a forced deploy names them. */
export function cliActor(): string {
  return `${userInfo().username}@${machineName()}`;
}

export function registerFreeze(program: Command, ctx: CliContext): void {
  program
    .command("freeze")
    .description(
      "refuse every deploy, rollback and preview into a stage (from any entry point) until unfrozen",
    )
    .argument("<stage>")
    .requiredOption("--reason <text>", "why: shown with every refusal")
    .option("--until <time>", "ISO 8601 time it ends by itself, e.g. 2026-12-24T18:00Z")
    .action(async (stage: string, opts: { reason: string; until?: string }, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      const done = await execute(s, {
        kind: "freeze",
        stage,
        reason: opts.reason,
        by: cliActor(),
        until: opts.until,
      });
      for (const f of done) ctx.io.out(`${f.host}: ${stage} ${freezeText(f.freeze)}\n`);
    });
}

export function registerUnfreeze(program: Command, ctx: CliContext): void {
  program
    .command("unfreeze")
    .description("lift a stage's freeze")
    .argument("<stage>")
    .action(async (stage: string, _opts: unknown, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      for (const u of await execute(s, { kind: "unfreeze", stage }))
        ctx.io.out(
          u.freeze
            ? `${u.host}: ${stage} unfrozen (was ${freezeText(u.freeze)})\n`
            : `${u.host}: ${stage} was not frozen\n`,
        );
    });
}
