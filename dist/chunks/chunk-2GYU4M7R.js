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
  eventLine,
  execute
} from "./chunk-V3SOIZ7Q.js";
import {
  parseDuration
} from "./chunk-B3EANRFM.js";
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";

// src/cli/logs.ts
var ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
var NAME = /^[A-Za-z0-9][\w-]*$/;
function registerLogs(program, ctx) {
  program.command("logs").description("a workload's output (the serving container's stdout/stderr), or a deploy's events by id").argument("<workload|deployId>").option("-f, --follow", "keep printing new output (or events, until the deploy ends)").option("--stage <stage>", "stage of the instance").option("--tag <tag>", "the tagged instance (e.g. pr-12)").option("--since <when>", 'only output since then: a duration ("10m") or an ISO time').option("--tail <n>", "only the last N lines").action(async (target, opts, cmd) => {
    if (!NAME.test(target))
      throw new TinyforgeError("usage", `not a deploy id or a workload name: ${JSON.stringify(target)}`);
    const s = await cliSession(cmd, ctx);
    if (ULID.test(target)) return deployEvents(ctx, s, target, opts.follow === true);
    return workloadOutput(ctx, s, target, opts);
  });
}
function sinceSec(text, now) {
  if (text === void 0) return void 0;
  const ms = parseDuration(text);
  const at = ms !== void 0 ? now - ms : Date.parse(text);
  if (Number.isNaN(at))
    throw new TinyforgeError("usage", `--since: not a duration or an ISO time: ${JSON.stringify(text)}`);
  return Math.floor(at / 1e3);
}
function tailLines(text) {
  if (text === void 0) return void 0;
  if (!/^\d+$/.test(text)) throw new TinyforgeError("usage", `--tail: not a number of lines: ${text}`);
  return Number(text);
}
async function workloadOutput(ctx, s, workload, opts) {
  const stop = new AbortController();
  const onInt = () => stop.abort();
  if (opts.follow) process.once("SIGINT", onInt);
  const prefix = s.config.hosts.length > 1;
  const tag = (text, host) => prefix ? text.replace(/^(?=.)/gm, `[${host}] `) : text;
  try {
    await execute(
      s,
      {
        kind: "app-logs",
        workload,
        stage: await stageWant(s.dir, opts.stage),
        tag: opts.tag,
        follow: opts.follow === true,
        tail: tailLines(opts.tail),
        sinceSec: sinceSec(opts.since, Date.now())
      },
      {
        signal: stop.signal,
        onOutput: (text, stream, at) => (stream === "stdout" ? ctx.io.out : ctx.io.err)(tag(text, at.host))
      }
    );
  } finally {
    process.off("SIGINT", onInt);
  }
}
async function deployEvents(ctx, s, deployId, follow) {
  const { interrupted } = await execute(
    s,
    { kind: "logs", deployId, follow },
    { onEvent: (e) => ctx.io.out(`${eventLine(e)}
`) }
  );
  if (interrupted)
    ctx.io.out(
      `-- deploy ${deployId} is no longer running and left no outcome (interrupted); tinyforge reconcile puts the host right
`
    );
}

export {
  registerLogs,
  sinceSec,
  tailLines
};
