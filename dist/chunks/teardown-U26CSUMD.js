import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  resolveStage,
  resolveWorkloads
} from "./chunk-HELQCB2T.js";
import {
  withLock
} from "./chunk-C576BWFZ.js";
import {
  engineContext,
  forEachHost,
  openSession,
  storeFor,
  teardownInstance
} from "./chunk-D2GHFZ23.js";
import {
  instanceKey
} from "./chunk-TF2T74O4.js";
import "./chunk-PKG5PH2D.js";

// src/cli/teardown.ts
function registerTeardown(program, ctx) {
  program.command("teardown").description("remove one instance of a workload: its route, containers and state").argument("<workload>").requiredOption("--stage <stage>", "stage of the instance").option("--tag <tag>", "the tagged instance (e.g. pr-12); without it, the stage's untagged one").action(async (workload, opts, cmd) => {
    const s = await openSession(cmd.optsWithGlobals().config, ctx.env);
    resolveWorkloads(s.config, workload);
    const stage = await resolveStage(s.config, s.dir, opts.stage);
    const key = instanceKey({ workload, stage, tag: opts.tag });
    await forEachHost(s, async (host) => {
      const ectx = engineContext(s, host, void 0);
      const store = storeFor(ectx);
      const lines = await withLock(
        ectx,
        store,
        { workload, stage },
        () => teardownInstance(ectx, store, { workload, stage, tag: opts.tag, key })
      );
      ctx.io.out(
        lines.length ? lines.map((l) => `${host.name}: ${l}
`).join("") : `${host.name}: ${key}: nothing deployed
`
      );
      return true;
    });
  });
}
export {
  registerTeardown
};
