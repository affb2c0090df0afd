// `tinyforge reconcile`: put every workload+stage of the project right (orphans removed, stopped
// active containers restarted, drifted routes repointed) and say what was done.
// `tinyforge reconcile --routes`: only the proxy, for every instance of every project on the host,
// from the state: the hook to run after a proxy restart or reload.
import type { Command } from "commander";
import { storeFor } from "../deploy/deploy.js";
import { withLock } from "../deploy/locked.js";
import { reconcile } from "../deploy/reconcile.js";
import { restoreRoutes } from "../deploy/restore-routes.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { engineContext, forEachHost, openSession } from "./session.js";

export function registerReconcile(program: Command, ctx: CliContext): void {
  program
    .command("reconcile")
    .description("make each host agree with its recorded state, and report what was done")
    .option(
      "--routes",
      "only put back the proxy routes of every instance on each host (all projects in state_dir); no container is touched",
    )
    .action(async (opts: { routes?: boolean }, cmd: Command) => {
      const s = await openSession(cmd.optsWithGlobals<GlobalOptions>().config, ctx.env);
      if (opts.routes) {
        await forEachHost(s, async (host) => {
          const lines = await restoreRoutes(engineContext(s, host, undefined));
          for (const l of lines) ctx.io.out(`${host.name}: ${l}\n`);
          if (lines.length === 0) ctx.io.out(`${host.name}: every route in place, nothing to do\n`);
          return true;
        });
        return;
      }
      await forEachHost(s, async (host) => {
        const ectx = engineContext(s, host, undefined);
        const store = storeFor(ectx);
        // Every pair the config names, plus any the host has state for (a workload since removed).
        const pairs = new Set<string>();
        for (const w of Object.keys(s.config.workloads))
          for (const st of Object.keys(s.config.stages)) pairs.add(`${w}\0${st}`);
        for (const i of await store.listInstances()) pairs.add(`${i.workload}\0${i.stage}`);
        let done = 0;
        for (const pair of [...pairs].sort()) {
          const [workload, stage] = pair.split("\0") as [string, string];
          const lines = await withLock(ectx, store, { workload, stage }, (lock) =>
            reconcile(ectx, store, { workload, stage, interrupted: lock.tookOver }),
          );
          for (const l of lines) ctx.io.out(`${host.name}: ${l}\n`);
          done += lines.length;
        }
        if (done === 0) ctx.io.out(`${host.name}: in order, nothing to do\n`);
        return true;
      });
    });
}
