// Which deploy procedure a workload gets. The seed rules, in order: compose never blue-greens
// (the stack manages its own containers), a storage-backed deno site is forced to recreate, an
// explicit choice wins, and "" falls back to the source's historical default.
import { TinyforgeError } from "../errors.js";
import type { Strategy, WorkloadConfig } from "../config/schema.js";
import { STRATEGIES } from "../config/values.js";

const q = JSON.stringify;

export type StrategyInput = Pick<WorkloadConfig, "source" | "deploy_strategy" | "mode" | "storage">;

/** Parses a `--strategy` flag value. */
export function parseStrategyOption(value: string): Strategy {
  if (value === "recreate" || value === "blue-green") return value;
  throw new TinyforgeError("usage", `--strategy must be one of "recreate", "blue-green" (got ${q(value)})`);
}

/** The strategy a deploy uses; `override` is the CLI's --strategy and obeys the same forcing rules. */
export function resolveStrategy(w: StrategyInput, override?: Strategy): Strategy {
  // The config is validated already; this guards callers that build a workload by hand.
  if (!(STRATEGIES as readonly string[]).includes(w.deploy_strategy)) {
    throw new TinyforgeError(
      "config_invalid",
      `deploy_strategy: must be one of ${STRATEGIES.map((s) => q(s)).join(", ")} (got ${q(w.deploy_strategy)})`,
    );
  }
  if (override !== undefined) parseStrategyOption(override);
  const requested = override ?? w.deploy_strategy;
  if (w.source === "compose" && requested === "blue-green") {
    const how = override ? "--strategy blue-green" : 'deploy_strategy "blue-green"';
    throw new TinyforgeError(
      "config_invalid",
      `${how} cannot be used with source compose: the stack manages its own containers`,
      { hint: 'use "recreate" or leave deploy_strategy empty' },
    );
  }
  // One RW volume, one writer: blue-green would mount the site's storage into two containers at once.
  if (w.source === "static" && w.mode === "deno" && w.storage) return "recreate";
  if (requested !== "") return requested;
  return w.source === "image" ? "blue-green" : "recreate";
}
