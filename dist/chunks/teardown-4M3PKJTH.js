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

// src/cli/teardown.ts
function registerTeardown(program, ctx) {
  program.command("teardown").description("remove one instance of a workload: its route, containers and state").argument("<workload>").requiredOption("--stage <stage>", "stage of the instance").option("--tag <tag>", "the tagged instance (e.g. pr-12); without it, the stage's untagged one").action(async (workload, opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    const removed = await execute(s, {
      kind: "teardown",
      workload,
      stage: { stage: opts.stage },
      tag: opts.tag
    });
    for (const r of removed)
      ctx.io.out(
        r.lines.length ? r.lines.map((l) => `${r.host}: ${l}
`).join("") : `${r.host}: ${r.key}: nothing deployed
`
      );
  });
}
export {
  registerTeardown
};
