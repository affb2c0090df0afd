import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  withLock
} from "./chunk-C576BWFZ.js";
import {
  engineContext,
  forEachHost,
  openSession,
  reconcile,
  restoreRoutes,
  storeFor
} from "./chunk-D2GHFZ23.js";
import "./chunk-TF2T74O4.js";
import "./chunk-PKG5PH2D.js";

// src/cli/reconcile.ts
function registerReconcile(program, ctx) {
  program.command("reconcile").description("make each host agree with its recorded state, and report what was done").option(
    "--routes",
    "only put back the proxy routes of every instance on each host (all projects in state_dir); no container is touched"
  ).action(async (opts, cmd) => {
    const s = await openSession(cmd.optsWithGlobals().config, ctx.env);
    if (opts.routes) {
      await forEachHost(s, async (host) => {
        const lines = await restoreRoutes(engineContext(s, host, void 0));
        for (const l of lines) ctx.io.out(`${host.name}: ${l}
`);
        if (lines.length === 0) ctx.io.out(`${host.name}: every route in place, nothing to do
`);
        return true;
      });
      return;
    }
    await forEachHost(s, async (host) => {
      const ectx = engineContext(s, host, void 0);
      const store = storeFor(ectx);
      const pairs = /* @__PURE__ */ new Set();
      for (const w of Object.keys(s.config.workloads))
        for (const st of Object.keys(s.config.stages)) pairs.add(`${w}\0${st}`);
      for (const i of await store.listInstances()) pairs.add(`${i.workload}\0${i.stage}`);
      let done = 0;
      for (const pair of [...pairs].sort()) {
        const [workload, stage] = pair.split("\0");
        const lines = await withLock(
          ectx,
          store,
          { workload, stage },
          (lock) => reconcile(ectx, store, { workload, stage, interrupted: lock.tookOver })
        );
        for (const l of lines) ctx.io.out(`${host.name}: ${l}
`);
        done += lines.length;
      }
      if (done === 0) ctx.io.out(`${host.name}: in order, nothing to do
`);
      return true;
    });
  });
}
export {
  registerReconcile
};
