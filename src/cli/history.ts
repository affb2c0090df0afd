// `tinyforge history WORKLOAD [--stage S] [--limit N] [--before ID] [--json]`
import type { Command } from "commander";
import { formatDuration } from "../config/duration.js";
import { execute } from "../app/execute.js";
import { TinyforgeError } from "../errors.js";
import type { CliContext } from "./main.js";
import { cliSession } from "./open.js";

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new TinyforgeError("usage", `--limit: must be a whole number ≥ 1 (got ${JSON.stringify(v)})`);
  return n;
}

export function registerHistory(program: Command, ctx: CliContext): void {
  program
    .command("history")
    .description("a workload's deploys, newest first")
    .argument("<workload>")
    .option("--stage <stage>", "only this stage")
    .option("--limit <n>", "deploys per page", positiveInt, 20)
    .option("--before <deployId>", "the next page: deploys older than this one")
    .option("--json", "print a JSON array")
    .action(
      async (
        workload: string,
        opts: { stage?: string; limit: number; before?: string; json?: boolean },
        cmd: Command,
      ) => {
        const s = await cliSession(cmd, ctx);
        const page = await execute(s, {
          kind: "history",
          workload,
          stage: opts.stage,
          limit: opts.limit,
          before: opts.before,
        });
        if (opts.json) {
          ctx.io.out(`${JSON.stringify(page)}\n`);
          return;
        }
        if (page.length === 0) {
          ctx.io.out("no deploys\n");
          return;
        }
        for (const r of page) {
          const took = r.durationMs === undefined ? "" : formatDuration(r.durationMs);
          ctx.io.out(
            `${r.deployId}  ${r.startedAt.slice(0, 19).replace("T", " ")}  ${r.stage}${r.tag ? `/${r.tag}` : ""}  ${r.sha.slice(0, 12)}  ${r.strategy.padEnd(10)} ${r.outcome.padEnd(9)} ${took.padStart(6)}${r.rollback ? `  rollback ${r.rollback.from.sha.slice(0, 12)} → ${r.rollback.to.sha.slice(0, 12)}` : ""}${r.dirty ? "  dirty" : ""}${r.error ? `  ${r.error.message}` : ""}\n`,
          );
        }
        if (page.length === opts.limit) ctx.io.out(`next page: --before ${page.at(-1)!.deployId}\n`);
      },
    );
}
