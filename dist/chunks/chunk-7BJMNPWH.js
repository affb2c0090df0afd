import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  DEFAULT_CAPS
} from "./chunk-MPBEHFSG.js";
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
} from "./chunk-EYWUCGAO.js";
import {
  _default,
  _enum,
  _gt,
  _gte,
  _lte,
  _minLength,
  _regex,
  array,
  boolean,
  describe,
  int,
  literal,
  number,
  optional,
  record,
  strictObject,
  string,
  union
} from "./chunk-VZYK7UIJ.js";
import {
  require_dist
} from "./chunk-B3EANRFM.js";
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";
import {
  __toESM
} from "./chunk-IXWQZFUI.js";

// bot/config.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFileSync } from "node:fs";
var allow = strictObject({
  slack_users: _default(array(string()), []).check(
    describe("Slack user IDs allowed to deploy to this stage.")
  ),
  slack_channels: _default(array(string()), []).check(
    describe("Slack channel IDs deploys to this stage may come from.")
  )
}).check(describe("Who may deploy a stage from chat. Empty lists allow nobody."));
var DOMAIN_PATTERN = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
var envName = string().check(_regex(ENV_NAME, { error: "must be an environment variable name" }));
var DEFAULT_LIMITS = { checkout_bytes: 512 * 1024 * 1024, checkout_entries: 1e5 };
var project = strictObject({
  forge: _default(_enum(["github", "gitea"]), "github"),
  repo: string().check(_regex(/^[^/\s]+\/[^/\s]+$/, { error: 'must be "owner/name"' })),
  config_path: _default(string(), "tinyforge.yml").check(describe("Path of tinyforge.yml in the repo.")),
  hosts: array(hostUrl).check(
    _minLength(1),
    describe("Hosts this project deploys to (required); the repo's hosts: are ignored.")
  ),
  stage_hosts: optional(record(dnsName, array(hostUrl).check(_minLength(1)))).check(
    describe(
      "Per stage, hosts in place of hosts: (one release across them); the repo's stages.S.hosts are ignored."
    )
  ),
  proxy: optional(proxySchema).check(
    describe("The reverse proxy routes go to; the repo's proxy: is ignored.")
  ),
  load_balancer: optional(loadBalancerSchema).check(
    describe("A proxy on its own host in front of the stage's hosts; the repo's load_balancer: is ignored.")
  ),
  state_dir: optional(string().check(_minLength(1))).check(
    describe("Deploy state directory on the hosts; the repo's is ignored.")
  ),
  publish_ip: optional(string().check(_minLength(1))).check(
    describe("Address ports are published on; the repo's is ignored.")
  ),
  lock_timeout: optional(duration).check(
    describe("How long a deploy waits for the lock; the repo's is ignored.")
  ),
  domains: _default(
    array(string().check(_regex(DOMAIN_PATTERN, { error: 'must be a hostname or "*.suffix"' }))),
    []
  ).check(describe("Hostnames (or *.suffix patterns) this project's routes may use.")),
  secrets: _default(record(union([dnsName, literal("*")]), record(envName, envName)), {}).check(
    describe(`Per stage ("*" = every stage): CONTAINER_VAR: BOT_ENV_VAR the repo's secrets: may name.`)
  ),
  allow_host_volumes: _default(boolean(), false).check(describe("Allow host bind mounts in volumes:.")),
  networks: _default(array(string().check(_minLength(1))), []).check(
    describe("Docker networks beyond the project's own (P, P_NAME) its workloads may join.")
  ),
  limits: _default(
    strictObject({
      checkout_bytes: _default(int().check(_gte(1)), DEFAULT_LIMITS.checkout_bytes),
      checkout_entries: _default(int().check(_gte(1)), DEFAULT_LIMITS.checkout_entries),
      memory: optional(memorySize).check(
        describe("Each container's memory limit: the repo may ask less; asking nothing gets this.")
      ),
      cpus: optional(number().check(_gt(0), _lte(1024))).check(
        describe("Each container's CPU limit in cores: the repo may ask less; asking nothing gets this.")
      ),
      replicas: optional(int().check(_gte(1), _lte(100))).check(
        describe(`Most Swarm tasks of one workload (default ${DEFAULT_CAPS.replicas}).`)
      ),
      release_timeout: optional(duration).check(
        describe("Longest release.timeout a repo may set (default 30m).")
      ),
      swarm_monitor: optional(duration).check(describe("Longest swarm.monitor a repo may set (default 2m)."))
    }),
    DEFAULT_LIMITS
  ).check(
    describe(
      "Bounds of the unpacked repository tarball, and of what the repo's containers take and how long they may hold a deploy."
    )
  ),
  allow: _default(record(dnsName, allow), {}).check(describe("Per-stage chat authorization.")),
  forks: _default(boolean(), false).check(
    describe("Deploy previews of pull requests from forks (they get host access).")
  )
});
var botConfigSchema = strictObject({
  projects: record(dnsName, project)
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
