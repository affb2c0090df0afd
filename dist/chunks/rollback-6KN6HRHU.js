import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  eventLine,
  headerLine,
  resultLine,
  stepLine
} from "./chunk-DLCQDEWK.js";
import {
  cliActor
} from "./chunk-LOGLHGYO.js";
import {
  cliSession,
  stageWant
} from "./chunk-DKT2S7EQ.js";
import {
  execute
} from "./chunk-V3SOIZ7Q.js";
import "./chunk-VNUKUVIF.js";
import "./chunk-WPXY34SH.js";
import "./chunk-KCBSN2NP.js";
import "./chunk-AERVUA2Y.js";
import "./chunk-73AJGAF4.js";
import "./chunk-QN2RUU3G.js";
import "./chunk-R2XRKQFI.js";
import "./chunk-FPYNHSIU.js";
import "./chunk-5TLO4YYF.js";
import "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-B3EANRFM.js";
import {
  EXIT
} from "./chunk-33CLMXR5.js";
import "./chunk-QEJUOKHG.js";
import "./chunk-IXWQZFUI.js";

// src/cli/rollback.ts
function registerRollback(program, ctx) {
  program.command("rollback").description("go back to an earlier kept release (its image, the same gate and swap)").argument("<workload>").option("--stage <stage>", "stage (default: the one whose branch is checked out)").option("--tag <tag>", "a tagged instance").option("--to <release>", "a kept release's deploy id or SHA (default: the one before the serving one)").option("--force", "roll back even though the stage is frozen (the override is recorded)").option("--json", "print the deploy's JSON object").action(async (workload, opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    const progress = ctx.isTTY || !opts.json;
    const results = await execute(
      s,
      {
        kind: "rollback",
        workload,
        stage: await stageWant(s.dir, opts.stage),
        tag: opts.tag,
        to: opts.to,
        ...opts.force ? { force: true } : {},
        actor: cliActor()
      },
      {
        ...progress ? {
          onStart: (at) => ctx.io.err(headerLine(at.workload, at.stage, at.host, "rollback")),
          onStep: (step) => ctx.io.err(stepLine(step)),
          onEvent: (e) => {
            const line = eventLine(e, ctx.isTTY);
            if (line) ctx.io.err(line);
          }
        } : {},
        onResult: (r) => ctx.io.out(opts.json ? `${JSON.stringify(r)}
` : resultLine(r))
      }
    );
    if (results.some((r) => r.outcome === "failed")) ctx.exitCode = EXIT.deployFailed;
  });
}
export {
  registerRollback
};
