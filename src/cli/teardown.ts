// `tinyforge teardown WORKLOAD --stage S [--tag T]`: remove one instance — route, containers, state.
import type { Command } from "commander";
import { storeFor } from "../deploy/deploy.js";
import { withLock } from "../deploy/locked.js";
import { teardownInstance } from "../deploy/teardown.js";
import { instanceKey } from "../plan/names.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { engineContext, forEachHost, openSession } from "./session.js";
import { resolveStage, resolveWorkloads } from "./stage.js";

export function registerTeardown(program: Command, ctx: CliContext): void {
  program
    .command("teardown")
    .description("remove one instance of a workload: its route, containers and state")
    .argument("<workload>")
    .requiredOption("--stage <stage>", "stage of the instance")
    .option("--tag <tag>", "the tagged instance (e.g. pr-12); without it, the stage's untagged one")
    .action(async (workload: string, opts: { stage: string; tag?: string }, cmd: Command) => {
      const s = await openSession(cmd.optsWithGlobals<GlobalOptions>().config, ctx.env);
      resolveWorkloads(s.config, workload);
      const stage = await resolveStage(s.config, s.dir, opts.stage);
      const key = instanceKey({ workload, stage, tag: opts.tag });
      await forEachHost(s, async (host) => {
        const ectx = engineContext(s, host, undefined);
        const store = storeFor(ectx);
        const lines = await withLock(ectx, store, { workload, stage }, () =>
          teardownInstance(ectx, store, { workload, stage, tag: opts.tag, key }),
        );
        ctx.io.out(
          lines.length
            ? lines.map((l) => `${host.name}: ${l}\n`).join("")
            : `${host.name}: ${key}: nothing deployed\n`,
        );
        return true;
      });
    });
}
