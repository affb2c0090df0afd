// `tinyforge validate`: load the config exactly as a deploy would, and say what it describes.
import type { Command } from "commander";
import { pathsOutside } from "../app/boundary/index.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { CliContext, GlobalOptions } from "./main.js";

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command("validate")
    .description("check the config file and print what it describes")
    .action(async (_opts: unknown, cmd: Command) => {
      const file = cmd.optsWithGlobals<GlobalOptions>().config;
      const { config, dir } = await loadConfig(file);
      ctx.io.out(`${file}: valid — ${summary(config)}\n`);
      // Allowed here (whoever runs the CLI is the operator), refused by the bot: say so.
      for (const line of pathsOutside(config, dir, dir))
        ctx.io.err(
          `warning: ${line.replace("the checkout", "the config's directory")} (the bot refuses this)\n`,
        );
    });
}

function count(noun: string, names: string[]): string {
  return `${names.length} ${noun}${names.length === 1 ? "" : "s"} (${names.join(", ")})`;
}

/** "project shop, 2 workloads (web, api), 2 stages (production, preview)" */
export function summary(config: Config): string {
  return [
    `project ${config.project}`,
    count("workload", Object.keys(config.workloads)),
    count("stage", Object.keys(config.stages)),
  ].join(", ");
}
