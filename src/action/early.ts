// The action's head start on SSH, as the CLI's (app/early-login.ts): the login to the stage's hosts
// begins from the raw inputs and config file, before the validator, the engine and @actions/core
// (which brings undici) have loaded. The stage is the `stage` input, the config's only stage, for
// a push the one stage whose `branch` is the pushed branch, or for a pull request the one stage
// with `pull_requests: true` (its preview); a guess only — the deploy takes
// the login if the validated config and the event agree, and closes it otherwise.
import { readFileSync } from "node:fs";
import { type EarlyLogins, loginEarly, onlyStage, stageOfBranch } from "../app/early-login.js";
import { credentialsFromEnv, type Env } from "../app/env.js";

/** An input as @actions/core's getInput reads it: INPUT_<NAME> (spaces as `_`), trimmed; "" if unset. */
export function rawInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

export function loginEarlyForAction(env: Env): EarlyLogins {
  const file = rawInput(env, "config") || "tinyforge.yml";
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // Unreadable: the action reports it, once it has loaded.
    return new Map();
  }
  return loginEarly(text, rawInput(env, "stage") || undefined, env, {
    // The inputs' key and pins before the environment's, as credentialsOf (inputs.ts) takes them.
    credentials: (e) => {
      const c = credentialsFromEnv(e);
      return {
        sshKey: rawInput(e, "ssh-key") || c.sshKey,
        knownHosts: rawInput(e, "known-hosts") || c.knownHosts,
      };
    },
    likelyStage: (stages) => pushedStage(env, stages) ?? previewStage(env, stages),
  });
}

/** For a pull request (opened, pushed to or closed): the one stage with `pull_requests: true`. */
export function previewStage(env: Env, stages: Record<string, unknown>): string | undefined {
  const event = env.GITHUB_EVENT_NAME;
  if (event !== "pull_request" && event !== "pull_request_target") return undefined;
  return onlyStage(stages, (s) => s.pull_requests === true);
}

/** For a push to a branch: the one stage whose raw `branch` is that branch. */
export function pushedStage(env: Env, stages: Record<string, unknown>): string | undefined {
  const ref = env.GITHUB_REF ?? "";
  if (env.GITHUB_EVENT_NAME !== "push" || !ref.startsWith("refs/heads/")) return undefined;
  return stageOfBranch(stages, ref.slice("refs/heads/".length));
}
