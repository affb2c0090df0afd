// The bot's own config (TINYFORGE_BOT_CONFIG, a YAML file): which projects it serves, where their
// repos live, and who may deploy what. Validated at start, with the same path-qualified errors as
// tinyforge.yml. Secrets (keys, tokens, signing secrets) are never here: they come from env.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { formatIssues, humanErrorMap } from "../src/config/issues.js";
import { DEFAULT_CAPS } from "../src/app/boundary/limits.js";
import {
  dnsName,
  duration,
  ENV_NAME,
  hostUrl,
  loadBalancerSchema,
  memorySize,
  proxySchema,
} from "../src/config/schema.js";
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

// A domains entry: a hostname, or "*.suffix" for every name under suffix (not suffix itself).
const DOMAIN_PATTERN =
  /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const envName = z.string().regex(ENV_NAME, { error: "must be an environment variable name" });

export const DEFAULT_LIMITS = { checkout_bytes: 512 * 1024 * 1024, checkout_entries: 100_000 };

const project = z.strictObject({
  forge: z.enum(["github", "gitea"]).default("github"),
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'must be "owner/name"' }),
  config_path: z.string().default("tinyforge.yml").describe("Path of tinyforge.yml in the repo."),
  hosts: z
    .array(hostUrl)
    .min(1)
    .describe("Hosts this project deploys to (required); the repo's hosts: are ignored."),
  stage_hosts: z
    .record(dnsName, z.array(hostUrl).min(1))
    .optional()
    .describe(
      "Per stage, hosts in place of hosts: (one release across them); the repo's stages.S.hosts are ignored.",
    ),
  proxy: proxySchema.optional().describe("The reverse proxy routes go to; the repo's proxy: is ignored."),
  load_balancer: loadBalancerSchema
    .optional()
    .describe("A proxy on its own host in front of the stage's hosts; the repo's load_balancer: is ignored."),
  state_dir: z
    .string()
    .min(1)
    .optional()
    .describe("Deploy state directory on the hosts; the repo's is ignored."),
  publish_ip: z.string().min(1).optional().describe("Address ports are published on; the repo's is ignored."),
  lock_timeout: duration.optional().describe("How long a deploy waits for the lock; the repo's is ignored."),
  domains: z
    .array(z.string().regex(DOMAIN_PATTERN, { error: 'must be a hostname or "*.suffix"' }))
    .default([])
    .describe("Hostnames (or *.suffix patterns) this project's routes may use."),
  secrets: z
    .record(z.union([dnsName, z.literal("*")]), z.record(envName, envName))
    .default({})
    .describe('Per stage ("*" = every stage): CONTAINER_VAR: BOT_ENV_VAR the repo\'s secrets: may name.'),
  allow_host_volumes: z.boolean().default(false).describe("Allow host bind mounts in volumes:."),
  networks: z
    .array(z.string().min(1))
    .default([])
    .describe("Docker networks beyond the project's own (P, P_NAME) its workloads may join."),
  limits: z
    .strictObject({
      checkout_bytes: z.number().int().min(1).default(DEFAULT_LIMITS.checkout_bytes),
      checkout_entries: z.number().int().min(1).default(DEFAULT_LIMITS.checkout_entries),
      memory: memorySize
        .optional()
        .describe("Each container's memory limit: the repo may ask less; asking nothing gets this."),
      cpus: z
        .number()
        .gt(0)
        .max(1024)
        .optional()
        .describe("Each container's CPU limit in cores: the repo may ask less; asking nothing gets this."),
      replicas: z
        .number()
        .int()
        .min(1)
        .max(100)
        .optional()
        .describe(`Most Swarm tasks of one workload (default ${DEFAULT_CAPS.replicas}).`),
      release_timeout: duration.optional().describe("Longest release.timeout a repo may set (default 30m)."),
      swarm_monitor: duration.optional().describe("Longest swarm.monitor a repo may set (default 2m)."),
    })
    .default(DEFAULT_LIMITS)
    .describe(
      "Bounds of the unpacked repository tarball, and of what the repo's containers take and how long they may hold a deploy.",
    ),
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

/** A project by its name in the bot config: own keys only ("constructor" is not a project). */
export function projectNamed(c: BotConfig, name: string): BotProject | undefined {
  return Object.hasOwn(c.projects, name) ? c.projects[name] : undefined;
}
