// Most pushes do not change tinyforge.yml: the bot keeps the last configs it validated, so a push
// whose file is the same text pays neither the YAML parse nor the validation on its way to its
// pending status. A config is kept under everything its validation read — the exact text, the
// project's name, its path in the repo and the operator's settings for that project (hosts, proxy,
// grants…) — so one validated for a repo, or under other settings, is never handed to another.
// Only valid configs are kept; each taker gets its own copy.
import { createHash } from "node:crypto";
import type { Config } from "../src/config/schema.js";
import type { BotProject } from "./config.js";

export const KEPT = 32;

export interface Validated {
  /** The config as openSession validated it (the bot's grants applied). */
  config: Config;
  /** The operator-only keys the repo's text set, ignored. */
  ignored: string[];
  /** The text as validated (the operator's settings in), for a checkout's file. */
  readonly text: string;
}

export class ValidatedConfigs {
  private readonly kept = new Map<string, Validated>();

  constructor(private readonly size = KEPT) {}

  /** What a validation of `text` for `project` reads, as one key. */
  static key(text: string, project: string, settings: BotProject): string {
    return createHash("sha256")
      .update(JSON.stringify([project, settings, text]))
      .digest("hex");
  }

  get(key: string): Validated | undefined {
    const v = this.kept.get(key);
    if (!v) return undefined;
    // Most recently used last: the Map's order is the eviction order.
    this.kept.delete(key);
    this.kept.set(key, v);
    return copy(v);
  }

  set(key: string, v: Validated): void {
    this.kept.delete(key);
    this.kept.set(key, copy(v));
    while (this.kept.size > this.size) this.kept.delete(this.kept.keys().next().value!);
  }
}

/** A taker may change its config (nothing does today): the kept one stays as validated. */
function copy(v: Validated): Validated {
  let text: string | undefined;
  return {
    config: structuredClone(v.config),
    ignored: [...v.ignored],
    get text() {
      text ??= v.text;
      return text;
    },
  };
}
