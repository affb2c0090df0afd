// `tinyforge accessory up|down|restart|logs NAME [--stage S] [--tag T] [--remove-data]`
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import type { AccessoryAction } from "../app/operation.js";
import { TinyforgeError } from "../errors.js";
import { tailLines } from "./logs.js";
import type { CliContext } from "./main.js";
import { cliSession, stageWant } from "./open.js";

const ACTIONS: readonly AccessoryAction[] = ["up", "down", "restart", "logs"];

interface AccessoryOptions {
  stage?: string;
  tag?: string;
  removeData?: boolean;
  follow?: boolean;
  tail?: string;
}

export function registerAccessory(program: Command, ctx: CliContext): void {
  program
    .command("accessory")
    .description("start, stop, restart or read a long-lived service of the project (a database, a cache)")
    .argument("<action>", ACTIONS.join("|"))
    .argument("<name>", "the accessory, as named under accessories:")
    .option("--stage <stage>", "its stage (each stage has its own)")
    .option("--tag <tag>", "with per_tag: the tagged instance's own accessory")
    .option("--remove-data", "down: remove its named volumes too")
    .option("-f, --follow", "logs: keep printing new output")
    .option("--tail <n>", "logs: only the last N lines")
    .action(async (action: string, name: string, opts: AccessoryOptions, cmd: Command) => {
      if (!(ACTIONS as readonly string[]).includes(action))
        throw new TinyforgeError(
          "usage",
          `accessory: unknown action "${action}" (have: ${ACTIONS.join(", ")})`,
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
            action: action as AccessoryAction,
            name,
            stage: await stageWant(s.dir, opts.stage),
            tag: opts.tag,
            removeData: opts.removeData === true,
            follow: opts.follow === true,
            tail: tailLines(opts.tail),
          },
          {
            signal: stop.signal,
            onOutput: (text, stream) => (stream === "stdout" ? ctx.io.out : ctx.io.err)(text),
          },
        );
        for (const h of done) ctx.io.out(h.lines.map((l) => `${h.host}: ${l}\n`).join(""));
      } finally {
        process.off("SIGINT", onInt);
      }
    });
}
