import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  DEFAULT_CAPS
} from "./chunk-SSBNCWXX.js";
import {
  ENV_NAME,
  dnsName,
  duration,
  formatIssues,
  hostUrl,
  humanErrorMap,
  loadBalancerSchema,
  memorySize,
  proxySchema
} from "./chunk-LGWJG4RW.js";
import {
  external_exports
} from "./chunk-J4EKENUZ.js";
import {
  require_dist
} from "./chunk-N3PY2J3R.js";
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";
import {
  __toESM
} from "./chunk-TCS2WAR2.js";

// bot/config.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFileSync } from "node:fs";
var allow = external_exports.strictObject({
  slack_users: external_exports.array(external_exports.string()).default([]).describe("Slack user IDs allowed to deploy to this stage."),
  slack_channels: external_exports.array(external_exports.string()).default([]).describe("Slack channel IDs deploys to this stage may come from.")
}).describe("Who may deploy a stage from chat. Empty lists allow nobody.");
var DOMAIN_PATTERN = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
var envName = external_exports.string().regex(ENV_NAME, { error: "must be an environment variable name" });
var DEFAULT_LIMITS = { checkout_bytes: 512 * 1024 * 1024, checkout_entries: 1e5 };
var project = external_exports.strictObject({
  forge: external_exports.enum(["github", "gitea"]).default("github"),
  repo: external_exports.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'must be "owner/name"' }),
  config_path: external_exports.string().default("tinyforge.yml").describe("Path of tinyforge.yml in the repo."),
  hosts: external_exports.array(hostUrl).min(1).describe("Hosts this project deploys to (required); the repo's hosts: are ignored."),
  stage_hosts: external_exports.record(dnsName, external_exports.array(hostUrl).min(1)).optional().describe(
    "Per stage, hosts in place of hosts: (one release across them); the repo's stages.S.hosts are ignored."
  ),
  proxy: proxySchema.optional().describe("The reverse proxy routes go to; the repo's proxy: is ignored."),
  load_balancer: loadBalancerSchema.optional().describe("A proxy on its own host in front of the stage's hosts; the repo's load_balancer: is ignored."),
  state_dir: external_exports.string().min(1).optional().describe("Deploy state directory on the hosts; the repo's is ignored."),
  publish_ip: external_exports.string().min(1).optional().describe("Address ports are published on; the repo's is ignored."),
  lock_timeout: duration.optional().describe("How long a deploy waits for the lock; the repo's is ignored."),
  domains: external_exports.array(external_exports.string().regex(DOMAIN_PATTERN, { error: 'must be a hostname or "*.suffix"' })).default([]).describe("Hostnames (or *.suffix patterns) this project's routes may use."),
  secrets: external_exports.record(external_exports.union([dnsName, external_exports.literal("*")]), external_exports.record(envName, envName)).default({}).describe(`Per stage ("*" = every stage): CONTAINER_VAR: BOT_ENV_VAR the repo's secrets: may name.`),
  allow_host_volumes: external_exports.boolean().default(false).describe("Allow host bind mounts in volumes:."),
  networks: external_exports.array(external_exports.string().min(1)).default([]).describe("Docker networks beyond the project's own (P, P_NAME) its workloads may join."),
  limits: external_exports.strictObject({
    checkout_bytes: external_exports.number().int().min(1).default(DEFAULT_LIMITS.checkout_bytes),
    checkout_entries: external_exports.number().int().min(1).default(DEFAULT_LIMITS.checkout_entries),
    memory: memorySize.optional().describe("Each container's memory limit: the repo may ask less; asking nothing gets this."),
    cpus: external_exports.number().gt(0).max(1024).optional().describe("Each container's CPU limit in cores: the repo may ask less; asking nothing gets this."),
    replicas: external_exports.number().int().min(1).max(100).optional().describe(`Most Swarm tasks of one workload (default ${DEFAULT_CAPS.replicas}).`),
    release_timeout: duration.optional().describe("Longest release.timeout a repo may set (default 30m)."),
    swarm_monitor: duration.optional().describe("Longest swarm.monitor a repo may set (default 2m).")
  }).default(DEFAULT_LIMITS).describe(
    "Bounds of the unpacked repository tarball, and of what the repo's containers take and how long they may hold a deploy."
  ),
  allow: external_exports.record(dnsName, allow).default({}).describe("Per-stage chat authorization."),
  forks: external_exports.boolean().default(false).describe("Deploy previews of pull requests from forks (they get host access).")
});
var botConfigSchema = external_exports.strictObject({
  projects: external_exports.record(dnsName, project)
});
function parseBotConfig(text, file = "bot config") {
  let data;
  try {
    data = (0, import_yaml.parse)(text);
  } catch (e) {
    throw new TinyforgeError("config_invalid", `${file}: invalid YAML: ${e.message}`);
  }
  const r = botConfigSchema.safeParse(data ?? {}, { reportInput: true, error: humanErrorMap });
  if (!r.success) {
    const details = formatIssues(r.error.issues, botConfigSchema);
    throw new TinyforgeError(
      "config_invalid",
      `${file}: ${details.length} error${details.length === 1 ? "" : "s"}`,
      { details }
    );
  }
  return r.data;
}
function loadBotConfig(env) {
  const file = env.TINYFORGE_BOT_CONFIG;
  if (!file) return { projects: {} };
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new TinyforgeError("config_invalid", `TINYFORGE_BOT_CONFIG: cannot read ${file}`);
  }
  return parseBotConfig(text, file);
}
function projectOfRepo(c, forge, repo) {
  return Object.entries(c.projects).find(
    ([, p]) => p.forge === forge && p.repo.toLowerCase() === repo.toLowerCase()
  );
}
function projectNamed(c, name) {
  return Object.hasOwn(c.projects, name) ? c.projects[name] : void 0;
}

export {
  loadBotConfig,
  projectOfRepo,
  projectNamed
};
