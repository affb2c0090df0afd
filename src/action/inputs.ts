// Every input of the action, read once into one validated object. Composite actions get no
// INPUT_* variables of their own (actions/runner#665): action.yml passes each input through `env:`
// under the INPUT_ name, so core.getInput reads them as usual.
import * as core from "@actions/core";
import { enum as enumOf, minLength, type output, optional, strictObject, string } from "zod/mini";
import type { Credentials } from "../app/credentials.js";
import { credentialsFromEnv, type Env } from "../app/env.js";
import { TinyforgeError } from "../errors.js";
import "../config/zod-locale.js";

// zod/mini, as the config's validator (src/config/schema.ts): the action loads only what it uses.
const schema = strictObject({
  config: string().check(minLength(1)),
  workload: optional(string()),
  stage: optional(string()),
  sshKey: optional(string()),
  knownHosts: optional(string()),
  token: optional(string()),
  slackToken: optional(string()),
  slackWebhook: optional(string()),
  strategy: optional(enumOf(["recreate", "blue-green"])),
  cancelBake: optional(enumOf(["true", "false"], { error: 'must be "true" or "false"' })),
});

export type ActionInputs = output<typeof schema>;

const opt = (name: string) => core.getInput(name) || undefined;

export function readInputs(): ActionInputs {
  const raw = {
    config: core.getInput("config") || "tinyforge.yml",
    workload: opt("workload"),
    stage: opt("stage"),
    sshKey: opt("ssh-key"),
    knownHosts: opt("known-hosts"),
    token: opt("token"),
    slackToken: opt("slack-token"),
    slackWebhook: opt("slack-webhook"),
    strategy: opt("strategy"),
    cancelBake: opt("cancel-bake"),
  };
  // Mask before anything can print them. A multi-line key is masked line by line: the runner
  // matches masks per line of output.
  for (const secret of [raw.sshKey, raw.token, raw.slackToken, raw.slackWebhook]) {
    for (const line of (secret ?? "").split(/\r?\n/))
      if (line.trim().length >= 4) core.setSecret(line.trim());
  }
  // jitless: one parse, not worth compiling a parser for (as src/config/load.ts).
  const parsed = schema.safeParse(raw, { jitless: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TinyforgeError("usage", `input ${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * The run's credentials: the documented environment (as for the CLI), with the action's inputs
 * taking precedence. The `token` input is the run's forge token: Gitea Actions hands its job
 * token out under GitHub's name too, and the forge is told apart by the run, not by the token.
 */
export function credentialsOf(i: ActionInputs, env: Env): Credentials {
  const c = credentialsFromEnv(env);
  return {
    ...c,
    ...(i.sshKey ? { sshKey: i.sshKey } : {}),
    ...(i.knownHosts ? { knownHosts: i.knownHosts } : {}),
    forge: i.token ? { ...c.forge, tokens: { ...c.forge.tokens, github: i.token } } : c.forge,
    notify: {
      ...c.notify,
      ...(i.slackToken ? { slackToken: i.slackToken } : {}),
      ...(i.slackWebhook ? { slackWebhook: i.slackWebhook } : {}),
    },
  };
}
