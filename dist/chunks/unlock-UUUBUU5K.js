import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  cliSession
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
import "./chunk-33CLMXR5.js";
import "./chunk-QEJUOKHG.js";
import "./chunk-IXWQZFUI.js";

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
