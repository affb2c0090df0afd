// `tinyforge exec WORKLOAD --stage S [--tag T] [--running] [-i] -- ARGV...`: runs ARGV against the
// serving release (a one-off container like it, or inside it with --running); a terminal gets a
// TTY; the command's exit code becomes the CLI's.
import { Writable } from "node:stream";
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import type { AttachIO } from "../ports/docker.js";
import type { CliContext } from "./main.js";
import { cliSession, stageWant } from "./open.js";

interface ExecOptions {
  stage?: string;
  tag?: string;
  running?: boolean;
  interactive?: boolean;
}

function textWriter(write: (t: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _e, done) {
      write(chunk.toString("utf8"));
      done();
    },
  });
}

/** The process's streams (a TTY when both ends are terminals), or the CLI's writers in tests. */
function attachIO(ctx: CliContext, interactive: boolean): AttachIO {
  const st = ctx.streams;
  const tty = st?.stdin.isTTY === true && st.stdout.isTTY === true;
  return {
    stdin: st && (tty || interactive) ? st.stdin : undefined,
    stdout: (st?.stdout as Writable | undefined) ?? textWriter(ctx.io.out),
    stderr: (st?.stderr as Writable | undefined) ?? textWriter(ctx.io.err),
    tty,
    ...(tty && st.stdout.rows && st.stdout.columns
      ? { size: { h: st.stdout.rows, w: st.stdout.columns } }
      : {}),
  };
}

export function registerExec(program: Command, ctx: CliContext): void {
  program
    .command("exec")
    .description("run a command against a workload's serving release; its exit code is tinyforge's")
    .argument("<workload>")
    .argument("[argv...]", "the command, after --")
    .option("--stage <stage>", "stage of the instance")
    .option("--tag <tag>", "the tagged instance (e.g. pr-12)")
    .option("--running", "inside the serving container (docker exec) instead of a one-off container")
    .option("-i, --interactive", "pass stdin through even when it is not a terminal")
    .action(async (workload: string, argv: string[], opts: ExecOptions, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      const io = attachIO(ctx, opts.interactive === true);
      const raw = io.stdin !== undefined && io.tty;
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
            running: opts.running === true,
          },
          { attach: io },
        );
      } finally {
        if (raw) ctx.streams?.stdin.setRawMode?.(false);
        ctx.streams?.stdin.pause();
      }
    });
}
