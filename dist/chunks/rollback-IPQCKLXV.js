import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  rollback
} from "./chunk-DJ6WTXPN.js";
import {
  eventLine,
  headerLine,
  resultLine,
  stepLine
} from "./chunk-VANUF62Z.js";
import {
  resolveStage,
  resolveWorkloads
} from "./chunk-HELQCB2T.js";
import {
  engineContext,
  forEachHost,
  openSession
} from "./chunk-D2GHFZ23.js";
import "./chunk-TF2T74O4.js";
import {
  EXIT
} from "./chunk-PKG5PH2D.js";

// src/cli/rollback.ts
function registerRollback(program, ctx) {
  program.command("rollback").description("go back to an earlier kept release (its image, the same gate and swap)").argument("<workload>").option("--stage <stage>", "stage (default: the one whose branch is checked out)").option("--tag <tag>", "a tagged instance").option("--to <release>", "a kept release's deploy id or SHA (default: the one before the serving one)").option("--json", "print the deploy's JSON object").action(async (workload, opts, cmd) => {
    const s = await openSession(cmd.optsWithGlobals().config, ctx.env);
    resolveWorkloads(s.config, workload);
    const stage = await resolveStage(s.config, s.dir, opts.stage);
    await forEachHost(s, async (host) => {
      const ectx = engineContext(s, host, workload);
      if (ctx.isTTY || !opts.json) {
        ectx.onStep = (step) => ctx.io.err(stepLine(step));
        ectx.onEvent = (e) => {
          const line = eventLine(e, ctx.isTTY);
          if (line) ctx.io.err(line);
        };
        ctx.io.err(headerLine(workload, stage, host.name, "rollback"));
      }
      const r = await rollback(ectx, { workload, stage, tag: opts.tag, to: opts.to });
      ctx.io.out(opts.json ? `${JSON.stringify(r)}
` : resultLine(r));
      if (r.outcome === "failed") {
        ctx.exitCode = EXIT.deployFailed;
        return false;
      }
      return true;
    });
  });
}
export {
  registerRollback
};
