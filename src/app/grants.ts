// What the operator grants a deploy of a repository's config. The CLI and the action run as the
// operator, so they grant what their environment has; the bot grants from its own config, never
// from a pushed file. Every rule of the operator/repository boundary plugs in here.
import type { Config } from "../config/schema.js";
import { own } from "../config/lookup.js";
import type { NetworkTrust } from "../plan/network-owner.js";
import { TinyforgeError } from "../errors.js";
import { secretValueProblem } from "../events/redact.js";

export interface Grants {
  /** Replaces the repo's `hosts:` (the bot: the project's hosts in its config). */
  hosts?: string[];
  /** The repo's `forge:` is ignored: statuses go where the trigger came from, with its token. */
  ignoreRepoForge?: boolean;
  /**
   * notify.webhook reaches public addresses only, checked when it connects (the bot: a URL the
   * repository chose); unset: loopback and private networks too (the operator's own run).
   */
  publicWebhook?: boolean;
  /** Existing networks the project may join beyond its own; unset: the operator's (CLI) rule. */
  networks?: NetworkTrust;
  /** Problems with what the config asks for (key paths first); any is config_invalid, nothing run. */
  problems(config: Config): string[];
  /** The values of a workload's `secrets:` for a stage; a usage error when one is not there. */
  secrets(config: Config, workload: string, stage: string | undefined): Record<string, string>;
  /**
   * The values of an accessory's `secrets:` that are set; with `required`, a usage error when
   * one is not. Absent where accessories are not run (the bot: only a person starts them).
   */
  accessorySecrets?(config: Config, name: string, required: boolean): Record<string, string>;
}

/** The config as the operator lets it run: their hosts, their forge. */
export function granted(config: Config, grants: Grants): Config {
  return {
    ...config,
    ...(grants.hosts ? { hosts: grants.hosts } : {}),
    ...(grants.ignoreRepoForge ? { forge: undefined } : {}),
  };
}

/**
 * The operator's own run (CLI, action): every name a workload's `secrets:` lists is read from
 * the given variables (the deploying process's environment).
 */
export function environmentGrants(vars: Readonly<Record<string, string | undefined>>): Grants {
  return {
    problems: () => [],
    secrets(config, workload) {
      const names = own(config.workloads, workload)?.secrets ?? [];
      const missing = names.filter((n) => own(vars, n) === undefined);
      if (missing.length > 0) {
        throw new TinyforgeError(
          "usage",
          `workloads.${workload}.secrets: not set in the environment: ${missing.join(", ")}`,
          { hint: "export them in the deploying process (in a workflow: env: from secrets)" },
        );
      }
      for (const n of names) {
        const problem = secretValueProblem(vars[n]!);
        if (problem) {
          throw new TinyforgeError("usage", `workloads.${workload}.secrets: ${n} ${problem}`, {
            hint: `use a longer value for ${n}`,
          });
        }
      }
      return Object.fromEntries(names.map((n) => [n, vars[n]!]));
    },
    accessorySecrets(config, name, required) {
      const names = own(config.accessories, name)?.secrets ?? [];
      const missing = names.filter((n) => own(vars, n) === undefined);
      if (required && missing.length > 0)
        throw new TinyforgeError(
          "usage",
          `accessories.${name}.secrets: not set in the environment: ${missing.join(", ")}`,
          { hint: "export them where you run tinyforge accessory up" },
        );
      return Object.fromEntries(names.filter((n) => own(vars, n) !== undefined).map((n) => [n, vars[n]!]));
    },
  };
}
