import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
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
} from "./chunk-Y4PIAPZT.js";
import {
  DEFAULT_CONTEXT,
  freezeText,
  hostVolumeProblems,
  networkProblems,
  pathsOutside,
  refusedHost,
  scopeVolumes
} from "./chunk-ZFGWCQVY.js";
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
  isRouted,
  literal,
  number,
  optional,
  own,
  parseMemory,
  record,
  refine,
  routeHostnames,
  strictObject,
  string,
  union
} from "./chunk-MEIW7ZG6.js";
import {
  formatDuration,
  require_dist
} from "./chunk-6YYFZVAX.js";
import {
  TinyforgeError,
  errorMessage
} from "./chunk-33CLMXR5.js";
import {
  __toESM
} from "./chunk-IXWQZFUI.js";

// bot/config.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFileSync } from "node:fs";

// src/app/boundary/limits.ts
var DEFAULT_CAPS = {
  replicas: 10,
  release_timeout: 30 * 6e4,
  swarm_monitor: 2 * 6e4,
  healthcheck_window: 30 * 6e4,
  healthcheck_timeout: 6e4,
  liveness_window: 30 * 6e4,
  drain: 5 * 6e4,
  stop_timeout: 5 * 6e4
};
var hum = (ms) => ms % 36e5 === 0 ? `${ms / 36e5}h` : ms % 6e4 === 0 ? `${ms / 6e4}m` : ms < 6e4 && ms % 1e3 === 0 ? `${ms / 1e3}s` : formatDuration(ms);
function limitProblems(config, limits, where, workloads) {
  const l = { ...DEFAULT_CAPS, ...limits };
  const key = (k) => `${where}.limits.${k}`;
  const problems = [];
  for (const [name, w] of Object.entries(config.workloads)) {
    if (workloads && !workloads.includes(name)) continue;
    const at = `workloads.${name}`;
    const mem = w.resources?.memory;
    if (mem !== void 0 && l.memory !== void 0 && parseMemory(mem) > parseMemory(l.memory))
      problems.push(`${at}.resources.memory: ${mem} is more than ${key("memory")} (${l.memory})`);
    const cpus = w.resources?.cpus;
    if (cpus !== void 0 && l.cpus !== void 0 && cpus > l.cpus)
      problems.push(`${at}.resources.cpus: ${cpus} is more than ${key("cpus")} (${l.cpus})`);
    if (w.replicas !== void 0 && w.replicas > l.replicas)
      problems.push(`${at}.replicas: ${w.replicas} is more than ${key("replicas")} (${l.replicas})`);
    const longer = (path, ms, cap) => {
      if (ms > l[cap]) problems.push(`${at}.${path}: ${hum(ms)} is more than ${key(cap)} (${hum(l[cap])})`);
    };
    if (w.release) longer("release.timeout", w.release.timeout, "release_timeout");
    const hc = w.healthcheck;
    if (hc && hc.retries * hc.interval > l.healthcheck_window)
      problems.push(
        `${at}.healthcheck: retries \xD7 interval (${hc.retries} \xD7 ${hum(hc.interval)} = ${hum(hc.retries * hc.interval)}) is more than ${key("healthcheck_window")} (${hum(l.healthcheck_window)})`
      );
    if (hc) longer("healthcheck.timeout", hc.timeout, "healthcheck_timeout");
    longer("liveness_window", w.liveness_window, "liveness_window");
    longer("drain", w.drain, "drain");
    longer("stop_timeout", w.stop_timeout, "stop_timeout");
  }
  if (config.swarm.monitor > l.swarm_monitor)
    problems.push(
      `swarm.monitor: ${hum(config.swarm.monitor)} is more than ${key("swarm_monitor")} (${hum(l.swarm_monitor)})`
    );
  return problems;
}
function withLimits(config, limits) {
  if (limits?.memory === void 0 && limits?.cpus === void 0) return config;
  const workloads = Object.fromEntries(
    Object.entries(config.workloads).map(([name, w]) => [
      name,
      {
        ...w,
        resources: {
          ...w.resources,
          ...(w.resources?.memory ?? limits.memory) !== void 0 ? { memory: w.resources?.memory ?? limits.memory } : {},
          ...(w.resources?.cpus ?? limits.cpus) !== void 0 ? { cpus: w.resources?.cpus ?? limits.cpus } : {}
        }
      }
    ])
  );
  return { ...config, workloads };
}

// bot/config.ts
var allow = strictObject({
  slack_users: _default(array(string()), []).check(
    describe("Slack user IDs allowed to deploy to this stage.")
  ),
  slack_channels: _default(array(string()), []).check(
    describe("Slack channel IDs deploys to this stage may come from.")
  )
}).check(describe("Who may deploy a stage from chat. Empty lists allow nobody."));
var DOMAIN_PATTERN = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
var origin = string().check(
  refine(
    (s) => {
      try {
        const u = new URL(s);
        return (u.protocol === "http:" || u.protocol === "https:") && u.username === "" && u.password === "" && u.pathname === "/" && u.search === "" && u.hash === "";
      } catch {
        return false;
      }
    },
    // Not repeated: a URL given here by mistake may carry its token in the path.
    { error: 'must be an origin like "http://10.0.0.9:8080" (scheme, host and port; no path)' }
  )
);
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
  notify_channels: _default(array(string().check(_minLength(1))), []).check(
    describe(
      "Slack channels the repo's notify.slack.channel may name (as written there), beside allow.S.slack_channels; the bot posts there with its SLACK_BOT_TOKEN."
    )
  ),
  notify_webhook_origins: _default(array(origin), []).check(
    describe(
      `Origins ("http://10.0.0.9:8080") the repo's notify.webhook may reach over http or at a loopback or private address; any other webhook must be https to a public address.`
    )
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
      swarm_monitor: optional(duration).check(describe("Longest swarm.monitor a repo may set (default 2m).")),
      healthcheck_window: optional(duration).check(
        describe("Longest health gate a repo may set, healthcheck.retries \xD7 interval (default 30m).")
      ),
      healthcheck_timeout: optional(duration).check(
        describe("Longest healthcheck.timeout a repo may set (default 1m).")
      ),
      liveness_window: optional(duration).check(
        describe("Longest liveness_window a repo may set (default 30m).")
      ),
      drain: optional(duration).check(describe("Longest drain a repo may set (default 5m).")),
      stop_timeout: optional(duration).check(describe("Longest stop_timeout a repo may set (default 5m)."))
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
  ),
  webhook_secret: optional(envName).check(
    describe(
      "Gitea: the bot's environment variable holding this repository's own webhook secret (unset: GITEA_WEBHOOK_SECRET). Whoever sets up a repository's hook knows its secret, and one secret shared by every project would let them sign deliveries for all."
    )
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

// src/app/boundary/operator.ts
var OPERATOR_KEYS = [
  "hosts",
  "proxy",
  "load_balancer",
  "state_dir",
  "publish_ip",
  "lock_timeout",
  "ssh"
];
var isMap = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function withOperatorSettings(data, op) {
  if (!isMap(data)) return { data, ignored: [] };
  const out = { ...data };
  const ignored = [];
  for (const key of OPERATOR_KEYS) {
    if (Object.hasOwn(out, key)) {
      ignored.push(key);
      delete out[key];
    }
  }
  if (isMap(out.stages)) {
    const stages = {};
    for (const [name, s] of Object.entries(out.stages)) {
      if (!isMap(s)) {
        stages[name] = s;
        continue;
      }
      if (Object.hasOwn(s, "hosts")) ignored.push(`stages.${name}.hosts`);
      const { hosts: _, ...rest } = s;
      const own3 = op.stage_hosts && Object.hasOwn(op.stage_hosts, name) ? op.stage_hosts[name] : void 0;
      stages[name] = own3 ? { ...rest, hosts: own3 } : rest;
    }
    out.stages = stages;
  }
  out.hosts = op.hosts;
  if (op.proxy) out.proxy = op.proxy;
  if (op.load_balancer)
    out.load_balancer = { ...op.load_balancer, health_interval: `${op.load_balancer.health_interval}ms` };
  if (op.state_dir !== void 0) out.state_dir = op.state_dir;
  if (op.publish_ip !== void 0) out.publish_ip = op.publish_ip;
  if (op.lock_timeout !== void 0) out.lock_timeout = `${op.lock_timeout}ms`;
  return { data: out, ignored };
}
function ignoredNote(ignored) {
  if (ignored.length === 0) return void 0;
  return `ignored in the repo's config (the bot's operator sets ${ignored.length === 1 ? "it" : "them"}): ${ignored.join(", ")}`;
}

// src/app/boundary/secrets.ts
var own2 = (r, k) => Object.hasOwn(r, k) ? r[k] : void 0;
function grantFor(grants, stage, name) {
  const forStage = own2(grants, stage);
  const forAll = own2(grants, "*");
  return (forStage && own2(forStage, name)) ?? (forAll && own2(forAll, name));
}
function grantedSecrets(config, workloads, stage, grants, botEnv, where) {
  const values = {};
  const problems = [];
  for (const w of workloads) {
    const names = own2(config.workloads, w)?.secrets ?? [];
    const refused = names.filter((n) => grantFor(grants, stage, n) === void 0);
    if (refused.length > 0)
      problems.push(
        `workloads.${w}.secrets: ${refused.join(", ")} ${refused.length === 1 ? "is" : "are"} not granted to stage ${stage} (${where}.secrets in the bot's config)`
      );
    for (const n of names) {
      const from = grantFor(grants, stage, n);
      if (from === void 0) continue;
      const value = own2(botEnv, from);
      if (value === void 0)
        problems.push(
          `workloads.${w}.secrets: ${n} is granted from ${from}, which is not set in the bot's environment`
        );
      else values[n] = value;
    }
  }
  return { values, problems };
}
function missingGrantedVars(grants, botEnv, where) {
  return Object.entries(grants).flatMap(
    ([stage, map]) => Object.entries(map).filter(([, from]) => own2(botEnv, from) === void 0).map(
      ([name, from]) => `${where}.secrets.${stage}.${name}: ${from} is not set in the bot's environment`
    )
  );
}

// src/app/boundary/index.ts
var import_yaml2 = __toESM(require_dist(), 1);

// src/app/boundary/contexts.ts
var OWN = new RegExp(`^${DEFAULT_CONTEXT}(?:/[^\\p{Cc}]+)?$`, "u");
var isMap2 = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function contextProblems(data) {
  if (!isMap2(data) || !isMap2(data.stages)) return [];
  const problems = [];
  for (const [name, s] of Object.entries(data.stages)) {
    if (!isMap2(s) || !Object.hasOwn(s, "status_context")) continue;
    const c = s.status_context;
    if (typeof c !== "string" || OWN.test(c)) continue;
    problems.push(
      `stages.${name}.status_context: ${JSON.stringify(c)} is not the bot's own: must be "${DEFAULT_CONTEXT}" or start with "${DEFAULT_CONTEXT}/"`
    );
  }
  return problems;
}

// src/app/boundary/notify.ts
function originOf(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : void 0;
  } catch {
    return void 0;
  }
}
function notifyProblems(config, g, where) {
  const problems = [];
  const channel = config.notify?.slack?.channel;
  if (channel !== void 0) {
    const granted2 = [
      ...g.notify_channels ?? [],
      ...Object.values(g.allow ?? {}).flatMap((a) => a.slack_channels ?? [])
    ];
    if (!granted2.includes(channel))
      problems.push(
        `notify.slack.channel: ${JSON.stringify(channel)} is not in ${where}.notify_channels (nor a stage's allow.S.slack_channels)`
      );
  }
  const webhook = config.notify?.webhook;
  if (webhook === void 0) return { problems, publicWebhook: true };
  const origin2 = originOf(webhook);
  const granted = (g.notify_webhook_origins ?? []).some((o) => originOf(o) === origin2);
  if (granted) return { problems, publicWebhook: false };
  const u = new URL(webhook);
  const why = u.protocol !== "https:" ? `got ${u.protocol.slice(0, -1)}` : refusedHost(u.hostname, true);
  if (why)
    problems.push(
      `notify.webhook: must be https to a public address (${why}), or its origin in ${where}.notify_webhook_origins`
    );
  return { problems, publicWebhook: true };
}

// src/app/boundary/project.ts
function projectProblem(data, project2) {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return void 0;
  if (!Object.hasOwn(data, "project")) return void 0;
  const named = data.project;
  if (named === project2) return void 0;
  return `project: must be "${project2}" (the bot's name for this repository), not ${JSON.stringify(named)}`;
}

// src/app/boundary/routes.ts
function hostnameAllowed(hostname, domains) {
  const name = hostname.toLowerCase();
  return domains.some((d) => d.startsWith("*.") ? name.endsWith(d.slice(1)) : name === d);
}
function routeProblems(config, instance, domains, where) {
  if (config.proxy.driver === "none") return [];
  const allowed = domains.length > 0 ? domains.join(", ") : "none";
  const problems = [];
  for (const workload of instance.workloads) {
    const w = own(config.workloads, workload);
    if (!w || !isRouted(w)) continue;
    let hosts;
    try {
      hosts = routeHostnames(config, {
        project: config.project,
        workload,
        stage: instance.stage,
        ...instance.tag !== void 0 ? { tag: instance.tag } : {}
      });
    } catch (e) {
      problems.push(`workloads.${workload}: its route's hostname cannot be checked (${errorMessage(e)})`);
      continue;
    }
    const named = instance.tag === void 0 && own(w.domains ?? {}, instance.stage) !== void 0;
    for (const host of hosts) {
      if (hostnameAllowed(host, domains)) continue;
      const key = named ? `workloads.${workload}.domains.${instance.stage}` : "domain";
      const line = `${key}: ${host} is not a hostname this project may route (${where}.domains in the bot's config: ${allowed})`;
      if (!problems.includes(line)) problems.push(line);
    }
  }
  return problems;
}

// src/app/boundary/index.ts
var MAX_CONFIG_BYTES = 256 * 1024;
function configText(text, g, project2) {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_CONFIG_BYTES)
    throw new TinyforgeError("config_invalid", "the repo's config is too large", {
      details: [
        `(the file): ${bytes} bytes is more than the ${MAX_CONFIG_BYTES} (${MAX_CONFIG_BYTES / 1024} KiB) the bot parses`
      ]
    });
  const doc = import_yaml2.default.parseDocument(text);
  if (doc.errors.length > 0) return { text, ignored: [] };
  let data;
  try {
    data = doc.toJS();
  } catch {
    return { text, ignored: [] };
  }
  const other = projectProblem(data, project2);
  const problems = [...other ? [other] : [], ...contextProblems(data)];
  if (problems.length > 0)
    throw new TinyforgeError(
      "config_invalid",
      other ? "the repo's config names another project" : "the repo's config names a status context not the bot's",
      { details: problems }
    );
  const r = withOperatorSettings(data, g);
  if (r.data === data) return { text, ignored: [], data };
  let written;
  return {
    get text() {
      written ??= import_yaml2.default.stringify(r.data);
      return written;
    },
    ignored: r.ignored,
    data: r.data
  };
}
function admit(config, ask, g, botEnv, where) {
  const key = `projects.${where.project}`;
  const secrets = grantedSecrets(config, ask.workloads, ask.stage, g.secrets, botEnv, key);
  const notify = notifyProblems(config, g, key);
  const problems = [
    ...secrets.problems,
    ...routeProblems(config, ask, g.domains, key),
    ...g.allow_host_volumes ? [] : hostVolumeProblems(config, key, ask.workloads),
    ...networkProblems(config, where.project, g.networks ?? [], key, ask.workloads),
    ...limitProblems(config, g.limits, key, ask.workloads),
    ...notify.problems,
    ...ask.checkoutRoot ? pathsOutside(config, ask.configDir, ask.checkoutRoot, ask.workloads) : []
  ];
  if (problems.length > 0)
    throw new TinyforgeError(
      "config_invalid",
      `${where.file}: ${problems.length} error${problems.length === 1 ? "" : "s"} in config`,
      { details: problems }
    );
  return {
    config: withLimits(scopeVolumes(config, where.project), g.limits),
    secrets: secrets.values,
    publicWebhook: notify.publicWebhook
  };
}

// src/report/plan-text.ts
function renderPlan(p) {
  const what = `${p.workload}${p.tag ? ` (${p.tag})` : ""} ${p.sha.slice(0, 12)} \u2192 ${p.stage} on ${p.host}`;
  const env = p.env ? [...p.env.added.map((n) => `+${n}`), ...p.env.changed.map((n) => `~${n}`)].join(" ") || "no change" : "(nothing serves to compare with)";
  const lines = [
    `plan: ${what}${p.unchanged ? ": already serves, nothing to do" : ""}`,
    `  image:    ${p.image || "(compose's own)"} ${p.imagePresent ? "(on the host)" : "(not on the host)"}: ${p.imageAction}`,
    `  strategy: ${p.strategy}`,
    `  serving:  ${p.serving ? `${p.serving.container} (${p.serving.sha.slice(0, 12)})` : "nothing"}`,
    `  routes:   ${p.routes.map((r) => `${r.hostname} \u2192 :${r.port ?? "-"} (${r.driver}${r.tls ? ", tls" : ""})`).join(", ") || "none (no proxy)"}`,
    `  env:      ${env}`,
    `  release:  ${p.release ? `${JSON.stringify(p.release.command)}, timeout ${formatDuration(p.release.timeoutMs)}` : "none"}`,
    `  evicts:   ${p.evicts.join(", ") || "nothing"}`,
    `  frozen:   ${p.frozen ? freezeText(p.frozen).replace(/^frozen: /, "yes: ") : "no"}`,
    `  locked:   ${p.locked ? `yes: ${p.locked.owner}, deploy ${p.locked.deployId}, since ${p.locked.acquiredAt}` : "no"}`
  ];
  return `${lines.join("\n")}
`;
}

export {
  loadBotConfig,
  projectOfRepo,
  projectNamed,
  ignoredNote,
  missingGrantedVars,
  configText,
  admit,
  renderPlan
};
