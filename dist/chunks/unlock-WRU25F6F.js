import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  cliSession
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
import "./chunk-33CLMXR5.js";
import "./chunk-TE7HIZUT.js";
import "./chunk-TCS2WAR2.js";

// src/cli/unlock.ts
function registerUnlock(program, ctx) {
  program.command("unlock").description("remove a workload+stage deploy lock whose holder is gone").argument("<workload>").requiredOption("--stage <stage>", "stage of the lock").action(async (workload, opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    for (const u of await execute(s, { kind: "unlock", workload, stage: opts.stage })) {
      ctx.io.out(
        u.holder ? `${u.host}: removed the lock of ${workload}/${opts.stage} held by ${u.holder.owner} (deploy ${u.holder.deployId})
` : `${u.host}: ${workload}/${opts.stage} was not locked
`
      );
    }
  });
}
export {
  registerUnlock
};
