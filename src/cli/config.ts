// `tinyforge config WORKLOAD --stage S [--tag T] [--json]`: the effective settings of one
// instance, from the config file alone. Touches no host.
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import { formatDuration } from "../config/duration.js";
import type { InstanceSettings } from "../plan/instance-settings.js";
import type { CliContext } from "./main.js";
import { cliSession, stageWant } from "./open.js";

interface ConfigOptions {
  stage?: string;
  tag?: string;
  sha?: string;
  json?: boolean;
}

export function registerConfig(program: Command, ctx: CliContext): void {
  program
    .command("config")
    .description("print the effective settings of one instance (touches no host)")
    .argument("<workload>", "workload name")
    .option("-s, --stage <stage>", "stage (default: the only one, or the current branch's)")
    .option("-t, --tag <tag>", "a tagged instance (pr-12, …)")
    .option("--sha <sha>", "fill {sha} in env values")
    .option("--json", "print JSON")
    .action(async (workload: string, opts: ConfigOptions, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      const settings = await execute(s, {
        kind: "config",
        workload,
        stage: await stageWant(s.dir, opts.stage),
        tag: opts.tag,
        sha: opts.sha,
      });
      ctx.io.out(opts.json ? `${JSON.stringify(settings, null, 2)}\n` : render(settings));
    });
}

export function render(s: InstanceSettings): string {
  const lines = [
    `${s.workload} in ${s.stage}${s.tag ? ` (tag ${s.tag})` : ""}: container ${s.container}`,
    `  source:    ${s.source}${s.image ? ` ${s.image}` : ""}`,
    `  strategy:  ${s.strategy}`,
    `  routes:    ${s.routes.join(", ")}${s.url ? ` (url ${s.url})` : " (no proxy)"}`,
    `  release:   ${s.release ? `${JSON.stringify(s.release.command)}, timeout ${formatDuration(s.release.timeoutMs)}` : "none"}`,
    `  resources: ${
      s.resources
        ? Object.entries(s.resources)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ") || "none"
        : "none"
    }`,
    ...(s.network ? [`  network:   ${s.network}`] : []),
    ...(s.volumes.length ? [`  volumes:   ${s.volumes.join(", ")}`] : []),
    "  env:",
    ...Object.entries(s.env).map(([k, v]) => `    ${k}=${v}`),
  ];
  return `${lines.join("\n")}\n`;
}
