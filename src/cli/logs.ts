// `tinyforge logs DEPLOY_ID [--follow]`: a deploy's events from the host; with --follow, new ones
// as they are written until the deploy ends (or its process is found gone).
import type { Command } from "commander";
import { storeFor } from "../deploy/deploy.js";
import { eventLine, stillRunning } from "../deploy/history.js";
import { TinyforgeError } from "../errors.js";
import { systemClock } from "../ports/clock.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { engineContext, forEachHost, openSession } from "./session.js";

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
      const s = await openSession(cmd.optsWithGlobals<GlobalOptions>().config, ctx.env);
      let found = false;
      await forEachHost(s, async (host) => {
        const store = storeFor(engineContext(s, host, undefined));
        let rec = await store.readDeploy(deployId);
        if (!rec) return true;
        found = true;
        let shown = 0;
        for (;;) {
          const events = await store.readEvents(deployId);
          for (const e of events.slice(shown)) ctx.io.out(`${eventLine(e)}\n`);
          shown = Math.max(shown, events.length);
          if (!opts.follow) break;
          rec = (await store.readDeploy(deployId)) ?? rec;
          if (rec.outcome !== "running") break;
          if (!(await stillRunning(store, rec))) {
            // A deploy releases its lock just before it writes its outcome: look again after a moment.
            await systemClock.sleep(1000);
            rec = (await store.readDeploy(deployId)) ?? rec;
            if (rec.outcome !== "running") continue;
            // Read once more: the last batch may have landed just before the lease went.
            const last = await store.readEvents(deployId);
            for (const e of last.slice(shown)) ctx.io.out(`${eventLine(e)}\n`);
            ctx.io.out(
              `-- deploy ${deployId} is no longer running and left no outcome (interrupted); tinyforge reconcile puts the host right\n`,
            );
            break;
          }
          await systemClock.sleep(300);
        }
        return false;
      });
      if (!found)
        throw new TinyforgeError("not_found", `no deploy ${deployId} on ${s.config.hosts.join(", ")}`);
    });
}
