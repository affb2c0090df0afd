// Names a user types (a stage, a workload, a project, a chat argument) are looked up as own keys
// only: `config.stages["constructor"]` would otherwise find Object.prototype's function. The one
// message for a name the config does not have lives here too.
import { TinyforgeError } from "../errors.js";
import type { Config } from "./schema.js";

/** The value under `key` when `rec` has it as its own property, else undefined. */
export function own<T>(rec: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

/** True when `rec` has `key` as its own property. */
export function hasOwn(rec: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.hasOwn(rec, key);
}

const have = (rec: object) => `(have: ${Object.keys(rec).join(", ") || "none"})`;

/** The shape stage resolution needs: a chat command has only the stages' branches at hand. */
export type StageLike = { branch?: string; pull_requests?: boolean };

export function stageOf<S = Config["stages"][string]>(
  config: { stages: Readonly<Record<string, S>> },
  stage: string,
): S {
  const s = own(config.stages, stage);
  if (!s) throw new TinyforgeError("usage", `no stage "${stage}" in the config ${have(config.stages)}`);
  return s;
}

export function workloadOf(config: Config, workload: string): Config["workloads"][string] {
  const w = own(config.workloads, workload);
  if (!w)
    throw new TinyforgeError("usage", `no workload "${workload}" in the config ${have(config.workloads)}`);
  return w;
}

export function accessoryOf(config: Config, name: string): Config["accessories"][string] {
  const a = own(config.accessories, name);
  if (!a)
    throw new TinyforgeError("usage", `no accessory "${name}" in the config ${have(config.accessories)}`);
  return a;
}
