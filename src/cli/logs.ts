// `tinyforge logs DEPLOY_ID [--follow]`: a deploy's events from the host; with --follow, new ones
// as they are written until the deploy ends (or its process is found gone).
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import { eventLine } from "../deploy/history.js";
import { TinyforgeError } from "../errors.js";
import type { CliContext } from "./main.js";
import { cliSession } from "./open.js";

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command("logs")
    .description("a deploy's events")
    .argument("<deployId>")
    .option("-f, --follow", "keep printing new events until the deploy ends")
    .action(async (deployId: string, opts: { follow?: boolean }, cmd: Command) => {
      if (!ULID.test(deployId))
        throw new TinyforgeError("usage", `not a deploy id: ${JSON.stringify(deployId)}`);
      const s = await cliSession(cmd, ctx);
      const { interrupted } = await execute(
        s,
        { kind: "logs", deployId, follow: opts.follow },
        { onEvent: (e) => ctx.io.out(`${eventLine(e)}\n`) },
      );
      if (interrupted)
        ctx.io.out(
          `-- deploy ${deployId} is no longer running and left no outcome (interrupted); tinyforge reconcile puts the host right\n`,
        );
    });
}
