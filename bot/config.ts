// The bot's own config (TINYFORGE_BOT_CONFIG, a YAML file): which projects it serves, where their
// repos live, and who may deploy what. Validated at start, with the same path-qualified errors as
// tinyforge.yml. Secrets (keys, tokens, signing secrets) are never here: they come from env.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
// zod/mini, as src/config/schema.ts whose parts it reuses (and the chunks the CLI loads are shared).
import {
  _default,
  array,
  boolean,
  describe,
  enum as enumOf,
  gt,
  int,
  literal,
  maximum,
  minimum,
  minLength,
  number,
  type output,
  optional,
  record,
  refine,
  regex,
  strictObject,
  string,
  union,
} from "zod/mini";
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

const allow = strictObject({
  slack_users: _default(array(string()), []).check(
    describe("Slack user IDs allowed to deploy to this stage."),
  ),
  slack_channels: _default(array(string()), []).check(
    describe("Slack channel IDs deploys to this stage may come from."),
  ),
}).check(describe("Who may deploy a stage from chat. Empty lists allow nobody."));

// A domains entry: a hostname, or "*.suffix" for every name under suffix (not suffix itself).
const DOMAIN_PATTERN =
  /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

// An origin a repo's webhook may reach: scheme, host and port, nothing else (a path could hold a token).
const origin = string().check(
  refine(
    (s) => {
      try {
        const u = new URL(s);
        return (
          (u.protocol === "http:" || u.protocol === "https:") &&
          u.username === "" &&
          u.password === "" &&
          u.pathname === "/" &&
          u.search === "" &&
          u.hash === ""
        );
      } catch {
        return false;
      }
    },
    // Not repeated: a URL given here by mistake may carry its token in the path.
    { error: 'must be an origin like "http://10.0.0.9:8080" (scheme, host and port; no path)' },
  ),
);

const envName = string().check(regex(ENV_NAME, { error: "must be an environment variable name" }));

export const DEFAULT_LIMITS = { checkout_bytes: 512 * 1024 * 1024, checkout_entries: 100_000 };

const project = strictObject({
  forge: _default(enumOf(["github", "gitea"]), "github"),
  repo: string().check(regex(/^[^/\s]+\/[^/\s]+$/, { error: 'must be "owner/name"' })),
  config_path: _default(string(), "tinyforge.yml").check(describe("Path of tinyforge.yml in the repo.")),
  hosts: array(hostUrl).check(
    minLength(1),
    describe("Hosts this project deploys to (required); the repo's hosts: are ignored."),
  ),
  stage_hosts: optional(record(dnsName, array(hostUrl).check(minLength(1)))).check(
    describe(
      "Per stage, hosts in place of hosts: (one release across them); the repo's stages.S.hosts are ignored.",
    ),
  ),
  proxy: optional(proxySchema).check(
    describe("The reverse proxy routes go to; the repo's proxy: is ignored."),
  ),
  load_balancer: optional(loadBalancerSchema).check(
    describe("A proxy on its own host in front of the stage's hosts; the repo's load_balancer: is ignored."),
  ),
  state_dir: optional(string().check(minLength(1))).check(
    describe("Deploy state directory on the hosts; the repo's is ignored."),
  ),
  publish_ip: optional(string().check(minLength(1))).check(
    describe("Address ports are published on; the repo's is ignored."),
  ),
  lock_timeout: optional(duration).check(
    describe("How long a deploy waits for the lock; the repo's is ignored."),
  ),
  domains: _default(
    array(string().check(regex(DOMAIN_PATTERN, { error: 'must be a hostname or "*.suffix"' }))),
    [],
  ).check(describe("Hostnames (or *.suffix patterns) this project's routes may use.")),
  secrets: _default(record(union([dnsName, literal("*")]), record(envName, envName)), {}).check(
    describe('Per stage ("*" = every stage): CONTAINER_VAR: BOT_ENV_VAR the repo\'s secrets: may name.'),
  ),
  allow_host_volumes: _default(boolean(), false).check(describe("Allow host bind mounts in volumes:.")),
  networks: _default(array(string().check(minLength(1))), []).check(
    describe("Docker networks beyond the project's own (P, P_NAME) its workloads may join."),
  ),
  notify_channels: _default(array(string().check(minLength(1))), []).check(
    describe(
      "Slack channels the repo's notify.slack.channel may name (as written there), beside allow.S.slack_channels; the bot posts there with its SLACK_BOT_TOKEN.",
    ),
  ),
  notify_webhook_origins: _default(array(origin), []).check(
    describe(
      'Origins ("http://10.0.0.9:8080") the repo\'s notify.webhook may reach over http or at a loopback or private address; any other webhook must be https to a public address.',
    ),
  ),
  limits: _default(
    strictObject({
      checkout_bytes: _default(int().check(minimum(1)), DEFAULT_LIMITS.checkout_bytes),
      checkout_entries: _default(int().check(minimum(1)), DEFAULT_LIMITS.checkout_entries),
      memory: optional(memorySize).check(
        describe("Each container's memory limit: the repo may ask less; asking nothing gets this."),
      ),
      cpus: optional(number().check(gt(0), maximum(1024))).check(
        describe("Each container's CPU limit in cores: the repo may ask less; asking nothing gets this."),
      ),
      replicas: optional(int().check(minimum(1), maximum(100))).check(
        describe(`Most Swarm tasks of one workload (default ${DEFAULT_CAPS.replicas}).`),
      ),
      release_timeout: optional(duration).check(
        describe("Longest release.timeout a repo may set (default 30m)."),
      ),
      swarm_monitor: optional(duration).check(describe("Longest swarm.monitor a repo may set (default 2m).")),
      healthcheck_window: optional(duration).check(
        describe("Longest health gate a repo may set, healthcheck.retries × interval (default 30m)."),
      ),
      healthcheck_timeout: optional(duration).check(
        describe("Longest healthcheck.timeout a repo may set (default 1m)."),
      ),
      liveness_window: optional(duration).check(
        describe("Longest liveness_window a repo may set (default 30m)."),
      ),
      drain: optional(duration).check(describe("Longest drain a repo may set (default 5m).")),
      stop_timeout: optional(duration).check(describe("Longest stop_timeout a repo may set (default 5m).")),
    }),
    DEFAULT_LIMITS,
  ).check(
    describe(
      "Bounds of the unpacked repository tarball, and of what the repo's containers take and how long they may hold a deploy.",
    ),
  ),
  allow: _default(record(dnsName, allow), {}).check(describe("Per-stage chat authorization.")),
  forks: _default(boolean(), false).check(
    describe("Deploy previews of pull requests from forks (they get host access)."),
  ),
  webhook_secret: optional(envName).check(
    describe(
      "Gitea: the bot's environment variable holding this repository's own webhook secret (unset: GITEA_WEBHOOK_SECRET). Whoever sets up a repository's hook knows its secret, and one secret shared by every project would let them sign deliveries for all.",
    ),
  ),
});

export const botConfigSchema = strictObject({
  projects: record(dnsName, project),
});

export type BotConfig = output<typeof botConfigSchema>;
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
