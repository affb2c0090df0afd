import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  tailLines
} from "./chunk-2GYU4M7R.js";
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
  TinyforgeError
} from "./chunk-33CLMXR5.js";
import "./chunk-QEJUOKHG.js";
import "./chunk-IXWQZFUI.js";

// src/cli/accessory.ts
var ACTIONS = ["up", "down", "restart", "logs"];
function registerAccessory(program, ctx) {
  program.command("accessory").description("start, stop, restart or read a long-lived service of the project (a database, a cache)").argument("<action>", ACTIONS.join("|")).argument("<name>", "the accessory, as named under accessories:").option("--stage <stage>", "its stage (each stage has its own)").option("--tag <tag>", "with per_tag: the tagged instance's own accessory").option("--remove-data", "down: remove its named volumes too").option("-f, --follow", "logs: keep printing new output").option("--tail <n>", "logs: only the last N lines").action(async (action, name, opts, cmd) => {
    if (!ACTIONS.includes(action))
      throw new TinyforgeError(
        "usage",
        `accessory: unknown action "${action}" (have: ${ACTIONS.join(", ")})`
      );
    const s = await cliSession(cmd, ctx);
    const stop = new AbortController();
    const onInt = () => stop.abort();
    if (opts.follow) process.once("SIGINT", onInt);
    try {
      const done = await execute(
        s,
        {
          kind: "accessory",
          action,
          name,
          stage: await stageWant(s.dir, opts.stage),
          tag: opts.tag,
          removeData: opts.removeData === true,
          follow: opts.follow === true,
          tail: tailLines(opts.tail)
        },
        {
          signal: stop.signal,
          onOutput: (text, stream) => (stream === "stdout" ? ctx.io.out : ctx.io.err)(text)
        }
      );
      for (const h of done) ctx.io.out(h.lines.map((l) => `${h.host}: ${l}
`).join(""));
    } finally {
      process.off("SIGINT", onInt);
    }
  });
}
export {
  registerAccessory
};
