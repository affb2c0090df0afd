// Which stage a command means when --stage is not given.
import type { Config } from "../config/schema.js";
import { TinyforgeError } from "../errors.js";
import { currentBranch } from "./git.js";

export async function resolveStage(config: Config, dir: string, given: string | undefined): Promise<string> {
  const names = Object.keys(config.stages);
  if (given) {
    if (!config.stages[given])
      throw new TinyforgeError("usage", `no stage "${given}" in the config (have: ${names.join(", ")})`);
    return given;
  }
  if (names.length === 1) return names[0]!;
  const branch = await currentBranch(dir);
  const match = names.find((n) => branch && config.stages[n]?.branch === branch);
  if (match) return match;
  throw new TinyforgeError("usage", `which stage? pass --stage (have: ${names.join(", ")})`, {
    hint: branch ? `no stage has branch: ${branch}` : undefined,
  });
}

export function resolveWorkloads(config: Config, given: string | undefined): string[] {
  const names = Object.keys(config.workloads);
  if (!given) return names;
  if (!config.workloads[given])
    throw new TinyforgeError("usage", `no workload "${given}" in the config (have: ${names.join(", ")})`);
  return [given];
}
