// `tinyforge logs DEPLOY_ID [--follow]`: a deploy's events (a ULID keeps that meaning); with
// --follow, new ones as they are written until the deploy ends (or its process is found gone).
// `tinyforge logs WORKLOAD --stage S [--tag T] [--follow] [--since 10m] [--tail N]`: the serving
// container's own output, redacted.
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import type { Session } from "../app/session.js";
import { parseDuration } from "../config/duration.js";
import { eventLine } from "../deploy/history.js";
import { TinyforgeError } from "../errors.js";
import type { CliContext } from "./main.js";
import { cliSession, stageWant } from "./open.js";

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const NAME = /^[A-Za-z0-9][\w-]*$/;

interface LogsOptions {
  follow?: boolean;
  stage?: string;
  tag?: string;
  since?: string;
  tail?: string;
}

export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command("logs")
    .description("a workload's output (the serving container's stdout/stderr), or a deploy's events by id")
    .argument("<workload|deployId>")
    .option("-f, --follow", "keep printing new output (or events, until the deploy ends)")
    .option("--stage <stage>", "stage of the instance")
    .option("--tag <tag>", "the tagged instance (e.g. pr-12)")
    .option("--since <when>", 'only output since then: a duration ("10m") or an ISO time')
    .option("--tail <n>", "only the last N lines")
    .action(async (target: string, opts: LogsOptions, cmd: Command) => {
      // A path or anything else no workload could be named is refused as what it is not.
      if (!NAME.test(target))
        throw new TinyforgeError("usage", `not a deploy id or a workload name: ${JSON.stringify(target)}`);
      const s = await cliSession(cmd, ctx);
      if (ULID.test(target)) return deployEvents(ctx, s, target, opts.follow === true);
      return workloadOutput(ctx, s, target, opts);
    });
}

export function sinceSec(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  const at = ms !== undefined ? now - ms : Date.parse(text);
  if (Number.isNaN(at))
    throw new TinyforgeError("usage", `--since: not a duration or an ISO time: ${JSON.stringify(text)}`);
  return Math.floor(at / 1000);
}

export function tailLines(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new TinyforgeError("usage", `--tail: not a number of lines: ${text}`);
  return Number(text);
}

async function workloadOutput(ctx: CliContext, s: Session, workload: string, opts: LogsOptions) {
  const stop = new AbortController();
  const onInt = () => stop.abort();
  if (opts.follow) process.once("SIGINT", onInt);
  // With several hosts, each line says which one it came from.
  const prefix = s.config.hosts.length > 1;
  const tag = (text: string, host: string) => (prefix ? text.replace(/^(?=.)/gm, `[${host}] `) : text);
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
        sinceSec: sinceSec(opts.since, Date.now()),
      },
      {
        signal: stop.signal,
        onOutput: (text, stream, at) => (stream === "stdout" ? ctx.io.out : ctx.io.err)(tag(text, at.host)),
      },
    );
  } finally {
    process.off("SIGINT", onInt);
  }
}

async function deployEvents(ctx: CliContext, s: Session, deployId: string, follow: boolean) {
  const { interrupted } = await execute(
    s,
    { kind: "logs", deployId, follow },
    { onEvent: (e) => ctx.io.out(`${eventLine(e)}\n`) },
  );
  if (interrupted)
    ctx.io.out(
      `-- deploy ${deployId} is no longer running and left no outcome (interrupted); tinyforge reconcile puts the host right\n`,
    );
}
