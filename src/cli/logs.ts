// `tinyforge logs DEPLOY_ID [--follow]`: a deploy's events (a ULID keeps that meaning).
// `tinyforge logs WORKLOAD --stage S [--tag T] [--follow] [--since 10m] [--tail N]`: the serving
// container's own output, redacted.
import type { Command } from "commander";
import { appLogs } from "../deploy/app-logs.js";
import { storeFor } from "../deploy/deploy.js";
import { eventLine, stillRunning } from "../deploy/history.js";
import { parseDuration } from "../config/duration.js";
import { TinyforgeError } from "../errors.js";
import { systemClock } from "../ports/clock.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { engineContext, forEachHost, openSession, type Session } from "./session.js";
import { resolveStage, resolveWorkloads } from "./stage.js";

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

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
      const s = await openSession(cmd.optsWithGlobals<GlobalOptions>().config, ctx.env);
      if (ULID.test(target)) return deployEvents(ctx, s, target, opts.follow === true);
      return workloadOutput(ctx, s, target, opts);
    });
}

function sinceSec(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  const at = ms !== undefined ? now - ms : Date.parse(text);
  if (Number.isNaN(at))
    throw new TinyforgeError("usage", `--since: not a duration or an ISO time: ${JSON.stringify(text)}`);
  return Math.floor(at / 1000);
}

function tailLines(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new TinyforgeError("usage", `--tail: not a number of lines: ${text}`);
  return Number(text);
}

async function workloadOutput(ctx: CliContext, s: Session, workload: string, opts: LogsOptions) {
  resolveWorkloads(s.config, workload);
  const stage = await resolveStage(s.config, s.dir, opts.stage);
  if (opts.follow && s.config.hosts.length > 1) {
    throw new TinyforgeError("usage", "logs --follow follows one host; this config has several", {
      hint: "run it with a config naming one host, or leave out --follow",
    });
  }
  const options = {
    follow: opts.follow === true,
    tail: tailLines(opts.tail),
    sinceSec: sinceSec(opts.since, Date.now()),
  };
  const prefix = s.config.hosts.length > 1;
  await forEachHost(s, async (host) => {
    const ectx = engineContext(s, host, workload);
    const stop = new AbortController();
    const onInt = () => stop.abort();
    if (options.follow) process.once("SIGINT", onInt);
    try {
      const tag = (text: string) => (prefix ? text.replace(/^(?=.)/gm, `[${host.name}] `) : text);
      await appLogs(
        ectx,
        storeFor(ectx),
        { workload, stage, tag: opts.tag },
        { ...options, signal: stop.signal },
        { out: (t) => ctx.io.out(tag(t)), err: (t) => ctx.io.err(tag(t)) },
      );
    } finally {
      process.off("SIGINT", onInt);
    }
    return true;
  });
}

async function deployEvents(ctx: CliContext, s: Session, deployId: string, follow: boolean) {
  let found = false;
  await forEachHost(s, async (host) => {
    const store = storeFor(engineContext(s, host, undefined));
    let rec = await store.readDeploy(deployId);
    if (!rec) return true;
    found = true;
    let shown = 0;
    for (;;) {
      const events = await store.readEvents(deployId);
      for (const e of events.slice(shown)) ctx.io.out(`${eventLine(e)}\n`);
      shown = Math.max(shown, events.length);
      if (!follow) break;
      rec = (await store.readDeploy(deployId)) ?? rec;
      if (rec.outcome !== "running") break;
      if (!(await stillRunning(store, rec))) {
        // Read once more: the last batch may have landed just before the lease went.
        const last = await store.readEvents(deployId);
        for (const e of last.slice(shown)) ctx.io.out(`${eventLine(e)}\n`);
        ctx.io.out(
          `-- deploy ${deployId} is no longer running and left no outcome (interrupted); tinyforge reconcile puts the host right\n`,
        );
        break;
      }
      await systemClock.sleep(300);
    }
    return false;
  });
  if (!found) throw new TinyforgeError("not_found", `no deploy ${deployId} on ${s.config.hosts.join(", ")}`);
}
