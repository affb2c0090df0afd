// Which stage and which workloads an operation means, for every entry point, with one set of
// messages. A name the user gave must exist (own keys only: "constructor" is not a stage);
// otherwise the stage is found from what triggered the run.
import type { Config } from "../config/schema.js";
import type { StageLike } from "../config/lookup.js";
import { accessoryOf, stageOf, workloadOf } from "../config/lookup.js";
import { TinyforgeError } from "../errors.js";

export interface StageWant {
  /** Named by the user: it must exist. */
  stage?: string;
  /** A pull request: the stage with `pull_requests: true`. */
  preview?: boolean;
  /** A push or a checkout: the stage whose `branch:` this is. */
  branch?: string;
  /**
   * Nothing matched and a person asked: take the one obvious candidate — the only stage (the
   * CLI), or the only stage with a branch (a chat command). Pushes never guess.
   */
  guess?: "only-stage" | "only-branched-stage";
  /** How this surface names a stage, for the "which stage?" hint: "--stage", "`to STAGE`"… */
  ask?: string;
}

/** A config, or just its stages (a chat command reads only those). */
export type Stages = { stages: Readonly<Record<string, StageLike>> };

const have = (names: string[]) => `(have: ${names.join(", ") || "none"})`;

/** A stage the user named: it exists, or a usage error lists the ones that do. */
export function checkStage(config: Stages, stage: string): string {
  stageOf(config, stage);
  return stage;
}

/** The stage wanted, or undefined when nothing names or matches one. */
export function findStage(config: Stages, want: StageWant): string | undefined {
  if (want.stage !== undefined) return checkStage(config, want.stage);
  const stages = Object.entries(config.stages);
  if (want.preview) return stages.find(([, s]) => s.pull_requests)?.[0];
  const byBranch = want.branch ? stages.find(([, s]) => s.branch === want.branch)?.[0] : undefined;
  if (byBranch) return byBranch;
  if (want.guess === "only-stage" && stages.length === 1) return stages[0]![0];
  if (want.guess === "only-branched-stage") {
    const branched = stages.filter(([, s]) => s.branch);
    if (branched.length === 1) return branched[0]![0];
  }
  return undefined;
}

/** The stage wanted; a usage error that says how to name one when none matches. */
export function resolveStage(config: Stages, want: StageWant): string {
  const found = findStage(config, want);
  if (found) return found;
  const names = Object.keys(config.stages);
  if (want.preview)
    throw new TinyforgeError("usage", "a pull request, but no stage has pull_requests: true", {
      hint: `add a preview stage with pull_requests: true${want.ask ? `, or name one with ${want.ask}` : ""}`,
    });
  if (want.branch && !want.guess)
    throw new TinyforgeError("usage", `no stage deploys branch ${want.branch}`, {
      hint: `set branch: on a stage${want.ask ? `, or name one with ${want.ask}` : ""} ${have(names)}`,
    });
  throw new TinyforgeError("usage", `which stage? ${have(names)}`, {
    hint: [
      want.ask ? `name one with ${want.ask}` : undefined,
      want.branch ? `no stage has branch: ${want.branch}` : undefined,
    ]
      .filter(Boolean)
      .join("; "),
  });
}

/** The workloads an operation covers: the one named (it must exist), else all of them. */
export function resolveWorkloads(config: Config, given: string | undefined): string[] {
  if (given === undefined) return Object.keys(config.workloads);
  workloadOf(config, given);
  return [given];
}

/** An accessory the user named: it exists, or a usage error lists the ones that do. */
export function resolveAccessory(config: Config, name: string): string {
  accessoryOf(config, name);
  return name;
}

/** The hosts a stage deploys to: its own `hosts`, else the top-level ones. */
export function stageHosts(config: Config, stage: string): string[] {
  return stageOf(config, stage).hosts ?? config.hosts;
}

/** Every host some stage deploys to, once each: for what is not about one stage (reconcile, logs). */
export function allHosts(config: Config): string[] {
  const all = [...config.hosts, ...Object.values(config.stages).flatMap((s) => s.hosts ?? [])];
  return [...new Set(all)];
}
