// The bot's own config (TINYFORGE_BOT_CONFIG, a YAML file): which projects it serves, where their
// repos live, and who may deploy what. Validated at start, with the same path-qualified errors as
// tinyforge.yml. Secrets (keys, tokens, signing secrets) are never here: they come from env.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { formatIssues, humanErrorMap } from "../src/config/issues.js";
import { dnsName, hostUrl } from "../src/config/schema.js";
import { TinyforgeError } from "../src/errors.js";

const allow = z
  .strictObject({
    slack_users: z.array(z.string()).default([]).describe("Slack user IDs allowed to deploy to this stage."),
    slack_channels: z
      .array(z.string())
      .default([])
      .describe("Slack channel IDs deploys to this stage may come from."),
  })
  .describe("Who may deploy a stage from chat. Empty lists allow nobody.");

const project = z.strictObject({
  forge: z.enum(["github", "gitea"]).default("github"),
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'must be "owner/name"' }),
  config_path: z.string().default("tinyforge.yml").describe("Path of tinyforge.yml in the repo."),
  hosts: z
    .array(hostUrl)
    .min(1)
    .optional()
    .describe("Hosts this project deploys to; replaces the repo's hosts: (recommended)."),
  allow: z.record(dnsName, allow).default({}).describe("Per-stage chat authorization."),
  forks: z
    .boolean()
    .default(false)
    .describe("Deploy previews of pull requests from forks (they get host access)."),
});

export const botConfigSchema = z.strictObject({
  projects: z.record(dnsName, project),
});

export type BotConfig = z.output<typeof botConfigSchema>;
export type BotProject = BotConfig["projects"][string];

export function parseBotConfig(text: string, file = "bot config"): BotConfig {
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new TinyforgeError("config_invalid", `${file}: invalid YAML: ${(e as Error).message}`);
  }
  const r = botConfigSchema.safeParse(data ?? {}, { reportInput: true, error: humanErrorMap });
  if (!r.success) {
    const details = formatIssues(r.error.issues, botConfigSchema);
    throw new TinyforgeError(
      "config_invalid",
      `${file}: ${details.length} error${details.length === 1 ? "" : "s"}`,
      { details },
    );
  }
  return r.data;
}

export function loadBotConfig(env: Record<string, string | undefined>): BotConfig {
  const file = env.TINYFORGE_BOT_CONFIG;
  if (!file) return { projects: {} };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new TinyforgeError("config_invalid", `TINYFORGE_BOT_CONFIG: cannot read ${file}`);
  }
  return parseBotConfig(text, file);
}

/** The project a repo belongs to, by its owner/name on a forge. */
export function projectOfRepo(
  c: BotConfig,
  forge: "github" | "gitea",
  repo: string,
): [string, BotProject] | undefined {
  return Object.entries(c.projects).find(
    ([, p]) => p.forge === forge && p.repo.toLowerCase() === repo.toLowerCase(),
  );
}
