import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  resolveWorkloads
} from "./chunk-HELQCB2T.js";
import {
  engineContext,
  forEachHost,
  forceUnlock,
  markInterrupted,
  openSession,
  storeFor
} from "./chunk-D2GHFZ23.js";
import "./chunk-TF2T74O4.js";
import "./chunk-PKG5PH2D.js";

// src/cli/unlock.ts
function registerUnlock(program, ctx) {
  program.command("unlock").description("remove a workload+stage deploy lock whose holder is gone").argument("<workload>").requiredOption("--stage <stage>", "stage of the lock").action(async (workload, opts, cmd) => {
    const s = await openSession(cmd.optsWithGlobals().config, ctx.env);
    resolveWorkloads(s.config, workload);
    await forEachHost(s, async (host) => {
      const store = storeFor(engineContext(s, host, void 0));
      const holder = await forceUnlock(store.files, store.lockDir(workload, opts.stage));
      if (holder) await markInterrupted(store, holder);
      ctx.io.out(
        holder ? `${host.name}: removed the lock of ${workload}/${opts.stage} held by ${holder.owner} (deploy ${holder.deployId})
` : `${host.name}: ${workload}/${opts.stage} was not locked
`
      );
      return true;
    });
  });
}
export {
  registerUnlock
};
