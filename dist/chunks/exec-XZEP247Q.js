import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
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
import "./chunk-33CLMXR5.js";
import "./chunk-QEJUOKHG.js";
import "./chunk-IXWQZFUI.js";

// src/cli/exec.ts
import { Writable } from "node:stream";
function textWriter(write) {
  return new Writable({
    write(chunk, _e, done) {
      write(chunk.toString("utf8"));
      done();
    }
  });
}
function attachIO(ctx, interactive) {
  const st = ctx.streams;
  const tty = st?.stdin.isTTY === true && st.stdout.isTTY === true;
  return {
    stdin: st && (tty || interactive) ? st.stdin : void 0,
    stdout: st?.stdout ?? textWriter(ctx.io.out),
    stderr: st?.stderr ?? textWriter(ctx.io.err),
    tty,
    ...tty && st.stdout.rows && st.stdout.columns ? { size: { h: st.stdout.rows, w: st.stdout.columns } } : {}
  };
}
function registerExec(program, ctx) {
  program.command("exec").description("run a command against a workload's serving release; its exit code is tinyforge's").argument("<workload>").argument("[argv...]", "the command, after --").option("--stage <stage>", "stage of the instance").option("--tag <tag>", "the tagged instance (e.g. pr-12)").option("--running", "inside the serving container (docker exec) instead of a one-off container").option("-i, --interactive", "pass stdin through even when it is not a terminal").action(async (workload, argv, opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    const io = attachIO(ctx, opts.interactive === true);
    const raw = io.stdin !== void 0 && io.tty;
    if (raw) ctx.streams?.stdin.setRawMode?.(true);
    try {
      ctx.exitCode = await execute(
        s,
        {
          kind: "exec",
          workload,
          stage: await stageWant(s.dir, opts.stage),
          tag: opts.tag,
          argv,
          running: opts.running === true
        },
        { attach: io }
      );
    } finally {
      if (raw) ctx.streams?.stdin.setRawMode?.(false);
      ctx.streams?.stdin.pause();
    }
  });
}
export {
  registerExec
};
