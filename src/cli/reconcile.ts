// `tinyforge reconcile`: put every workload+stage of the project right (orphans removed, stopped
// active containers restarted, drifted routes repointed) and say what was done.
// `tinyforge reconcile --routes`: only the proxies, from the state: each host's, for every instance
// of every project on it, then the load balancer's, for this project's instances: the hook to run
// after a proxy restart or reload. A host not reached is said, the others done, and it exits 4.
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import { EXIT } from "../errors.js";
import type { CliContext } from "./main.js";
import { cliSession } from "./open.js";

export function registerReconcile(program: Command, ctx: CliContext): void {
  program
    .command("reconcile")
    .description("make each host agree with its recorded state, and report what was done")
    .option(
      "--routes",
      "only put back the proxy routes of every instance on each host (all projects in state_dir) and the load balancer's routes of this project; no container is touched",
    )
    .action(async (opts: { routes?: boolean }, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      const routes = opts.routes === true;
      for (const { host, lines, unreached } of await execute(s, { kind: "reconcile", routes })) {
        for (const l of lines) ctx.io.out(`${host}: ${l}\n`);
        if (lines.length === 0)
          ctx.io.out(`${host}: ${routes ? "every route in place" : "in order"}, nothing to do\n`);
        // The other hosts were done; the one not reached still fails the command.
        if (unreached) ctx.exitCode = EXIT.unreachable;
      }
    });
}
