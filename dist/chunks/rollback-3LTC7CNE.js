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
} from "./chunk-DF3UJ4WH.js";
import {
  cliActor
} from "./chunk-XGXWGD23.js";
import {
  cliSession,
  stageWant
} from "./chunk-EVKE27C2.js";
import {
  execute
} from "./chunk-RRK5X25M.js";
import "./chunk-Y75A4HVU.js";
import "./chunk-GMKAZPZV.js";
import "./chunk-VPMBM7N4.js";
import "./chunk-QBSBQI6T.js";
import "./chunk-73AJGAF4.js";
import "./chunk-R5YPQ4NM.js";
import "./chunk-Q7ADGZ56.js";
import "./chunk-2YKYWK6T.js";
import "./chunk-LMJPT53F.js";
import "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-N3PY2J3R.js";
import {
  EXIT
} from "./chunk-33CLMXR5.js";
import "./chunk-TE7HIZUT.js";
import "./chunk-TCS2WAR2.js";

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
