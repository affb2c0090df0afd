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

// src/cli/reconcile.ts
function registerReconcile(program, ctx) {
  program.command("reconcile").description("make each host agree with its recorded state, and report what was done").option(
    "--routes",
    "only put back the proxy routes of every instance on each host (all projects in state_dir); no container is touched"
  ).action(async (opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    const routes = opts.routes === true;
    for (const { host, lines } of await execute(s, { kind: "reconcile", routes })) {
      for (const l of lines) ctx.io.out(`${host}: ${l}
`);
      if (lines.length === 0)
        ctx.io.out(`${host}: ${routes ? "every route in place" : "in order"}, nothing to do
`);
    }
  });
}
export {
  registerReconcile
};
