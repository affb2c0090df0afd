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
import {
  formatDuration
} from "./chunk-B3EANRFM.js";
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";
import "./chunk-QEJUOKHG.js";
import "./chunk-IXWQZFUI.js";

// src/cli/history.ts
function positiveInt(v) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new TinyforgeError("usage", `--limit: must be a whole number \u2265 1 (got ${JSON.stringify(v)})`);
  return n;
}
function registerHistory(program, ctx) {
  program.command("history").description("a workload's deploys, newest first").argument("<workload>").option("--stage <stage>", "only this stage").option("--limit <n>", "deploys per page", positiveInt, 20).option("--before <deployId>", "the next page: deploys older than this one").option("--json", "print a JSON array").action(
    async (workload, opts, cmd) => {
      const s = await cliSession(cmd, ctx);
      const page = await execute(s, {
        kind: "history",
        workload,
        stage: opts.stage,
        limit: opts.limit,
        before: opts.before
      });
      if (opts.json) {
        ctx.io.out(`${JSON.stringify(page)}
`);
        return;
      }
      if (page.length === 0) {
        ctx.io.out("no deploys\n");
        return;
      }
      for (const r of page) {
        const took = r.durationMs === void 0 ? "" : formatDuration(r.durationMs);
        ctx.io.out(
          `${r.deployId}  ${r.startedAt.slice(0, 19).replace("T", " ")}  ${r.stage}${r.tag ? `/${r.tag}` : ""}  ${r.sha.slice(0, 12)}  ${r.strategy.padEnd(10)} ${r.outcome.padEnd(9)} ${took.padStart(6)}${r.rollback ? `  rollback ${r.rollback.from.sha.slice(0, 12)} \u2192 ${r.rollback.to.sha.slice(0, 12)}` : ""}${r.dirty ? "  dirty" : ""}${r.error ? `  ${r.error.message}` : ""}
`
        );
      }
      if (page.length === opts.limit) ctx.io.out(`next page: --before ${page.at(-1).deployId}
`);
    }
  );
}
export {
  registerHistory
};
