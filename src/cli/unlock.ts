// `tinyforge unlock WORKLOAD --stage S`: the documented way out when a deploy's process is known
// to be gone and its lease has not expired yet (it would, by itself, within the lease TTL).
import type { Command } from "commander";
import { storeFor } from "../deploy/deploy.js";
import { markInterrupted } from "../deploy/interrupted.js";
import { forceUnlock } from "../deploy/lock.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { engineContext, forEachHost, openSession } from "./session.js";
import { resolveWorkloads } from "./stage.js";

export function registerUnlock(program: Command, ctx: CliContext): void {
  program
    .command("unlock")
    .description("remove a workload+stage deploy lock whose holder is gone")
    .argument("<workload>")
    .requiredOption("--stage <stage>", "stage of the lock")
    .action(async (workload: string, opts: { stage: string }, cmd: Command) => {
      const s = await openSession(cmd.optsWithGlobals<GlobalOptions>().config, ctx.env);
      resolveWorkloads(s.config, workload);
      await forEachHost(s, async (host) => {
        const store = storeFor(engineContext(s, host, undefined));
        const holder = await forceUnlock(store.files, store.lockDir(workload, opts.stage));
        // Its holder is gone (that is why one unlocks): its deploy will never finish.
        if (holder) await markInterrupted(store, holder);
        ctx.io.out(
          holder
            ? `${host.name}: removed the lock of ${workload}/${opts.stage} held by ${holder.owner} (deploy ${holder.deployId})\n`
            : `${host.name}: ${workload}/${opts.stage} was not locked\n`,
        );
        return true;
      });
    });
}
