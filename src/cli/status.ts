// `tinyforge status [WORKLOAD] [--stage S] [--json]`
import type { Command } from "commander";
import { execute } from "../app/execute.js";
import { freezeText } from "../deploy/freeze.js";
import type { InstanceStatus } from "../deploy/status.js";
import type { CliContext } from "./main.js";
import { cliSession } from "./open.js";

/** Left-aligned columns as wide as their widest cell, two spaces apart. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n`;
}

function statusTable(rows: InstanceStatus[], multiHost: boolean): string {
  // Swarm services: each node's running/desired tasks.
  const swarm = rows.some((r) => r.tasks);
  const head = [
    "WORKLOAD",
    "STAGE",
    "STATE",
    "SHA",
    "CONTAINER",
    "URL",
    ...(multiHost ? ["HOST"] : []),
    ...(swarm ? ["TASKS"] : []),
  ];
  return table([
    head,
    ...rows.map((r) => [
      r.workload,
      `${r.stage}${r.tag ? ` (${r.tag})` : ""}`,
      `${r.state}${r.split ? " (split)" : ""}${r.bake && !r.bake.interrupted ? " (baking)" : ""}`,
      `${(r.sha ?? "-").slice(0, 12)}${r.dirty ? " dirty" : ""}`,
      r.container ?? "-",
      r.url ?? "-",
      ...(multiHost ? [r.host] : []),
      ...(swarm ? [(r.tasks ?? []).map((t) => `${t.node} ${t.running}/${t.desired}`).join(", ") || "-"] : []),
    ]),
  ]);
}

/** A bake in progress (or one whose deploy died before it concluded). */
function bakeLine(r: InstanceStatus): string {
  const b = r.bake!;
  const what = `${r.workload} in ${r.stage}${r.tag ? ` (${r.tag})` : ""}`;
  return b.interrupted
    ? `! ${what}: the bake of deploy ${b.deployId} never concluded (its deploy is gone); ${b.previous} may still run: run tinyforge reconcile\n`
    : `~ ${what}: baking (deploy ${b.deployId}) until ${b.until}; ${b.previous} stands by to take the route back\n`;
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command("status")
    .description("what serves where, checked against the host's Docker engine")
    .argument("[workload]", "only this workload")
    .option("--stage <stage>", "only this stage")
    .option("--json", "print a JSON array")
    .action(async (workload: string | undefined, opts: { stage?: string; json?: boolean }, cmd: Command) => {
      const s = await cliSession(cmd, ctx);
      const { rows, last, frozen } = await execute(s, { kind: "status", workload, stage: opts.stage });
      if (opts.json) {
        // Each row of a frozen stage carries its freeze (the array stays as it was, with one more key).
        const freezes = new Map(frozen.map((f) => [f.freeze.stage, f.freeze]));
        ctx.io.out(
          `${JSON.stringify(rows.map((r) => (freezes.has(r.stage) ? { ...r, frozen: freezes.get(r.stage) } : r)))}\n`,
        );
        return;
      }
      const stages = new Map(frozen.map((f) => [f.freeze.stage, f.freeze]));
      for (const [stage, f] of stages) ctx.io.out(`! ${stage} is ${freezeText(f)}\n`);
      if (rows.length > 0) {
        ctx.io.out(statusTable(rows, new Set(rows.map((r) => r.host)).size > 1));
        const split = [
          ...new Set(
            rows
              .filter((r) => r.split)
              .map((r) => `${r.workload} in ${r.stage}${r.tag ? ` (${r.tag})` : ""}`),
          ),
        ];
        for (const what of split)
          ctx.io.out(`! ${what}: the hosts serve different releases: run tinyforge reconcile\n`);
        for (const r of rows) if (r.bake) ctx.io.out(bakeLine(r));
        return;
      }
      const what = [workload, opts.stage].filter(Boolean).join(" in ") || s.config.project;
      ctx.io.out(
        last
          ? `nothing serves ${what}: torn down (last deploy ${last.deployId}: ${last.workload} ${last.sha.slice(0, 12)} → ${last.stage}, ${last.startedAt.slice(0, 16).replace("T", " ")})\n`
          : "nothing deployed yet\n",
      );
    });
}
