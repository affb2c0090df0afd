import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  external_exports
} from "./chunk-J4EKENUZ.js";
import {
  PROXY_DRIVERS,
  SOURCES,
  STRATEGIES,
  bakeHostsProblem,
  hostnamePatterns,
  isRouted,
  parseMemory,
  routeHostnames
} from "./chunk-7FGEEFQX.js";
import {
  expandImage,
  hostname,
  validateImageReference
} from "./chunk-VZPQQM3L.js";
import {
  MAX_DURATION_MS,
  SSH_URL,
  parseDuration,
  require_dist
} from "./chunk-N3PY2J3R.js";
import {
  TinyforgeError,
  errorMessage
} from "./chunk-33CLMXR5.js";
import {
  __toESM
} from "./chunk-TCS2WAR2.js";

// src/config/load.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

// src/plan/route-collisions.ts
var SAMPLE_TAG = "pr-1";
function describe(i) {
  return `workloads.${i.workload} in stage ${i.stage}${i.tag ? ` (tag ${i.tag})` : ""}`;
}
function routeCollisions(config) {
  const owners = /* @__PURE__ */ new Map();
  const pairs = /* @__PURE__ */ new Set();
  const problems = [];
  for (const [workload2, w] of Object.entries(config.workloads)) {
    if (!isRouted(w)) continue;
    for (const stage2 of Object.keys(config.stages)) {
      for (const tag of [void 0, SAMPLE_TAG]) {
        const names = { project: config.project, workload: workload2, stage: stage2, tag };
        let hostnames;
        try {
          hostnames = routeHostnames(config, names);
        } catch {
          continue;
        }
        const who = describe(names);
        for (const host of new Set(hostnames)) {
          const first = owners.get(host);
          if (first === void 0) owners.set(host, { who, workload: workload2 });
          else if (first.who !== who && !pairs.has(`${first.workload} ${workload2}`)) {
            pairs.add(`${first.workload} ${workload2}`);
            problems.push(
              `workloads.${workload2}: ${who} and ${first.who} would both be routed on ${host}; give one its own domains or put {workload} in the hostname patterns`
            );
          }
        }
      }
    }
  }
  return problems;
}

// src/config/issues.ts
var EXPECTED = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping"
};
function show(input) {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "a mapping";
  if (typeof input === "string")
    return JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input);
  return String(input);
}
function got(input) {
  const type = typeof input;
  return type === "string" || type === "number" || type === "boolean" ? `${type} ${show(input)}` : show(input);
}
var SIZED = { string: "character", array: "item" };
function bound(iss) {
  const small = iss.code === "too_small";
  const limit = Number(
    small ? iss.minimum : iss.maximum
  );
  const unit = SIZED[iss.origin];
  if (unit) {
    if (iss.origin === "string" && small && limit === 1) return "must not be empty";
    const word2 = iss.exact ? "exactly" : small ? "at least" : "at most";
    return `must have ${word2} ${limit} ${unit}${limit === 1 ? "" : "s"}`;
  }
  const word = iss.exact ? "exactly" : small ? iss.inclusive ? "at least" : "greater than" : iss.inclusive ? "at most" : "less than";
  return `must be ${word} ${limit} (got ${show(iss.input)})`;
}
var humanErrorMap = (iss) => {
  switch (iss.code) {
    case "invalid_type":
      if (iss.input === void 0) return "is required";
      return `must be ${EXPECTED[iss.expected] ?? iss.expected} (got ${got(iss.input)})`;
    case "invalid_value":
      if (iss.values.length === 1) return `must be ${show(iss.values[0])} (got ${show(iss.input)})`;
      return `must be one of ${iss.values.map(show).join(", ")} (got ${show(iss.input)})`;
    case "too_small":
    case "too_big":
      return bound(iss);
    case "invalid_format": {
      const what = iss.format === "url" ? "a URL" : iss.format === "regex" ? `match ${iss.pattern}` : `a valid ${iss.format}`;
      return `must be ${what} (got ${show(iss.input)})`;
    }
    case "not_multiple_of":
      return `must be a multiple of ${iss.divisor} (got ${show(iss.input)})`;
    default:
      return void 0;
  }
};
function formatPath(path) {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z0-9_-]+$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || "(root)";
}
function closest(key, known) {
  let best;
  let bestDist = 3;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDist) [best, bestDist] = [k, d];
  }
  return best;
}
function editDistance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
function unwrap(node) {
  let n = node;
  while (n) {
    const def = n._zod.def;
    if (def.type === "pipe") n = def.in;
    else if ("innerType" in def) n = def.innerType;
    else return n;
  }
  return n;
}
function keysAt(schema, path) {
  let node = unwrap(schema);
  for (const seg of path) {
    const def2 = node?._zod.def;
    if (def2?.type === "object") node = unwrap(def2.shape[String(seg)]);
    else if (def2?.type === "record") node = unwrap(def2.valueType);
    else if (def2?.type === "array") node = unwrap(def2.element);
    else return [];
  }
  const def = node?._zod.def;
  return def?.type === "object" ? Object.keys(def.shape) : [];
}
function formatIssues(issues, schema) {
  const lines = [];
  for (const iss of issues) {
    const at = formatPath(iss.path);
    if (iss.code === "unrecognized_keys") {
      const present = iss.input && typeof iss.input === "object" ? Object.keys(iss.input) : [];
      const known = keysAt(schema, iss.path).filter((k) => !present.includes(k));
      for (const key of iss.keys) {
        const hint = closest(key, known);
        lines.push(
          `${at}: unknown key ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`
        );
      }
    } else if (iss.code === "invalid_key") {
      for (const inner of iss.issues) lines.push(`${at}: name ${inner.message}`);
    } else {
      lines.push(`${at}: ${iss.message}`);
    }
  }
  return lines;
}

// src/config/schema.ts
import { isIP } from "node:net";

// src/config/accessory.ts
var ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
var accessorySchema = external_exports.strictObject({
  image: external_exports.string().min(1).describe("Image to run, used as written (pulled when the host lacks it)."),
  port: external_exports.number().int().min(1).max(65535).optional().describe("Port the service listens on; workloads reach it as NAME:PORT. Never published on the host."),
  env: external_exports.record(external_exports.string(), external_exports.string()).default({}).describe("Plain environment variables."),
  secrets: external_exports.array(external_exports.string().regex(ENV_NAME, { error: "must be an environment variable name" })).default([]).describe("Names of environment variables read from the process running `tinyforge accessory up`."),
  volumes: external_exports.array(
    external_exports.string().regex(/^[^:\s]+:\/[^:\s]*(?::(?:ro|rw))?$/, {
      error: (iss) => `must be "NAME_OR_PATH:/container/path[:ro]" (got ${JSON.stringify(iss.input)})`
    })
  ).default([]).describe(
    'Named volumes are per stage ("pgdata" becomes PROJECT-STAGE-pgdata) and outlive `down` unless --remove-data.'
  ),
  command: external_exports.array(external_exports.string()).optional().describe("Overrides the image's command (argv, no shell)."),
  per_tag: external_exports.boolean().default(false).describe(
    "A tagged instance (a PR preview) gets its own accessory (`accessory up NAME --stage S --tag T`); by default every tag of a stage shares the stage's."
  )
}).describe("A long-lived service of the project, one per stage, reachable from the workloads by its name.");

// src/config/http-path.ts
function httpPath() {
  return external_exports.string().startsWith("/", { error: 'must start with "/"' }).regex(/^[^\s\p{Cc}]*$/u, {
    error: (iss) => `must be a URL path without spaces or control characters (got ${JSON.stringify(iss.input)})`
  });
}

// src/config/bake.ts
var MAX_BAKE_MS = 30 * 6e4;
function boundedDuration(what, minMs, maxMs, bounds) {
  return external_exports.string({
    error: (iss) => `must be a duration string like "2m" or "1s" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`
  }).describe(`${what} A duration, ${bounds}.`).transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === void 0) {
      ctx.addIssue({
        code: "custom",
        message: `must be a duration like "500ms", "5s" or "2m" (got ${JSON.stringify(text)})`
      });
      return external_exports.NEVER;
    }
    if (ms < minMs || ms > maxMs) {
      ctx.addIssue({ code: "custom", message: `must be ${bounds} (got ${JSON.stringify(text)})` });
      return external_exports.NEVER;
    }
    return ms;
  });
}
var PERCENT = /^(\d{1,3}(?:\.\d{1,3})?)%$/;
function parsePercent(text) {
  const m = PERCENT.exec(text.trim());
  if (!m) return void 0;
  const n = Number(m[1]);
  return n <= 100 ? n / 100 : void 0;
}
var percent = external_exports.string({
  error: (iss) => `must be a percentage like "1%" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`
}).transform((text, ctx) => {
  const rate = parsePercent(text);
  if (rate === void 0) {
    ctx.addIssue({
      code: "custom",
      message: `must be a percentage from "0%" to "100%" like "1%" or "0.5%" (got ${JSON.stringify(text)})`
    });
    return external_exports.NEVER;
  }
  return rate;
});
var probe = external_exports.strictObject({
  path: httpPath().default("/").describe("HTTP path the soak probe requests on the new container's port."),
  every: boundedDuration("Pause between probes.", 100, 6e4, "from 100ms to 1m").default(1e3),
  timeout: boundedDuration(
    "A probe with no answer in this time counts as an error.",
    100,
    3e4,
    "from 100ms to 30s"
  ).default(2e3)
}).describe("The soak probe: one GET at a time, through the deploy's SSH connection, to the new container.");
var bakeSchema = external_exports.strictObject({
  for: boundedDuration(
    "How long the new release is soaked before the old one is retired; the deploy holds its lock that long.",
    1e3,
    MAX_BAKE_MS,
    "from 1s to 30m"
  ),
  probe: probe.default({ path: "/", every: 1e3, timeout: 2e3 }),
  max_error_rate: percent.default(0.01).describe(
    'Largest share of probes that may fail (no answer, or a status outside 2xx/3xx): "1%". Default 1%.'
  ),
  max_p99: boundedDuration(
    "Largest 99th-percentile probe latency; unset: latency is reported, not judged.",
    1,
    3e4,
    "from 1ms to 30s"
  ).optional()
}).superRefine((b, ctx) => {
  if (b.probe.every > b.for)
    ctx.addIssue({
      code: "custom",
      path: ["probe", "every"],
      message: "must be at most bake.for (at least one probe runs)"
    });
}).optional().describe(
  "Bake window: after the swap the old release keeps running (without traffic) while a soak probe checks the new one for `for`; failed thresholds put the route back on the old release and fail the deploy. Needs deploy_strategy blue-green and one host (not Swarm)."
);

// src/config/schema.ts
var DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
var ENV_NAME2 = /^[A-Za-z_][A-Za-z0-9_]*$/;
var dnsName = external_exports.string().regex(DNS_LABEL, {
  error: (iss) => `must be DNS-safe: lowercase letters, digits and "-", 1-63 characters, not starting or ending with "-" (got ${JSON.stringify(iss.input)})`
});
var duration = external_exports.string({
  error: (iss) => `must be a duration string like "5s" or "500ms" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`
}).describe('A duration: "500ms", "5s", "2m", "1m30s"; at most 24h.').transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === void 0) {
    ctx.addIssue({
      code: "custom",
      message: `must be a duration like "500ms", "5s" or "2m" (got ${JSON.stringify(text)})`
    });
    return external_exports.NEVER;
  }
  if (ms > MAX_DURATION_MS) {
    ctx.addIssue({ code: "custom", message: `must be at most 24h (got ${JSON.stringify(text)})` });
    return external_exports.NEVER;
  }
  return ms;
});
var hostUrl = external_exports.string().refine((h) => h === "local" || SSH_URL.test(h), {
  error: (iss) => `must be "local", "ssh://USER@HOST[:PORT][?socket=/PATH]" or "swarm+ssh://USER@MANAGER[:PORT]" (got ${JSON.stringify(iss.input)})`
}).refine(
  (h) => {
    const port = SSH_URL.exec(h)?.[3];
    return port === void 0 || Number(port) >= 1 && Number(port) <= 65535;
  },
  { error: (iss) => `must have an SSH port from 1 to 65535 (got ${JSON.stringify(iss.input)})` }
);
var healthcheck = external_exports.strictObject({
  path: httpPath().describe("HTTP path probed on the container's port."),
  retries: external_exports.number().int().min(1).max(100).default(3).describe("The gate probes for retries \xD7 interval before it fails."),
  interval: duration.default(5e3).describe("Longest pause between probes (they start at once and back off from 50 ms)."),
  timeout: duration.default(1e4).describe("Time allowed for one attempt."),
  expect_status: external_exports.number().int().min(100).max(599).optional().describe("Status that counts as healthy; default any 2xx or 3xx.")
}).describe("HTTP readiness probe that gates every new container.");
var HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
var fullHostname = external_exports.string().regex(HOSTNAME, {
  error: (iss) => `must be a lowercase DNS name like "shop.example.com" (got ${JSON.stringify(iss.input)})`
});
var domains = external_exports.record(dnsName, external_exports.array(fullHostname).min(1)).optional().describe(
  "Full hostnames of each stage's untagged instance, by stage: the first is its URL, all route to the same container. Tagged instances keep tag_hostname_pattern."
);
var envMap = external_exports.record(external_exports.string().regex(ENV_NAME2, { error: "must be an environment variable name" }), external_exports.string()).default({});
var release = external_exports.strictObject({
  command: external_exports.array(external_exports.string()).min(1).describe("argv run in a one-off container of the new image (no shell), e.g. [bin/migrate]."),
  timeout: duration.default(6e5).describe("The release fails (and the deploy with it) after this long.")
}).optional().describe(
  "Runs once per deploy, after the image is ready and before the new container starts, with the instance's env, secrets, network and volumes; a non-zero exit fails the deploy and the old version keeps serving."
);
var memorySize = external_exports.string().refine((t) => (parseMemory(t) ?? 0) >= 6 * 1024 ** 2, {
  error: (iss) => `must be a size of at least 6m like "512m" or "1g" (got ${JSON.stringify(iss.input)})`
});
var resources = external_exports.strictObject({
  memory: memorySize.optional().describe(`Memory limit of each container: "512m", "1g" (Docker's minimum is 6m).`),
  cpus: external_exports.number().gt(0, { error: "must be greater than 0" }).max(1024).optional().describe("CPU limit of each container, in cores: 0.5, 1.5.")
}).optional().describe("Limits of each container of the workload (the release step's too).");
var workload = external_exports.strictObject({
  source: external_exports.enum(SOURCES).describe("Where the workload's image comes from."),
  image: external_exports.string().min(1).optional().describe("For source image: the reference to pull; {sha} {ref} {tag} {stage} are expanded."),
  pull: external_exports.enum(["always", "missing"]).default("always").describe(
    'For source image: "always" asks the registry each deploy; "missing" uses a local copy when there is one.'
  ),
  dockerfile: external_exports.string().default("Dockerfile").describe("For source dockerfile: path inside the context."),
  context: external_exports.string().default(".").describe("Build context, relative to the config file's directory."),
  build_args: external_exports.record(external_exports.string(), external_exports.string()).default({}).describe("Docker build arguments."),
  port: external_exports.number().int().min(1).max(65535).optional().describe("Port the app listens on inside the container."),
  command: external_exports.array(external_exports.string()).optional().describe("Overrides the image's command (argv, no shell)."),
  replicas: external_exports.number().int().min(1).max(100).optional().describe("On a swarm+ssh:// host: tasks of the workload's Swarm service (default 1)."),
  deploy_strategy: external_exports.enum(STRATEGIES).default("").describe(`"" picks the source's default: image -> blue-green, others -> recreate.`),
  healthcheck: healthcheck.optional(),
  liveness_window: duration.default(5e3).describe("With no healthcheck: how long the container must stay running without restarting."),
  drain: duration.default(2e3).describe("Grace after the swap before the old container is stopped."),
  stop_timeout: duration.default(1e4).describe("Time the old container gets to stop before it is killed."),
  max_instances: external_exports.number().int().min(1).optional().describe("Tags of one stage kept side by side; oldest evicted."),
  keep_releases: external_exports.number().int().min(1).default(3).describe("Releases whose images are kept for rollback."),
  report_commit_status: external_exports.boolean().default(true).describe("Send commit statuses for this workload."),
  env: external_exports.record(
    external_exports.string().regex(ENV_NAME2, {
      error: (iss) => `must be an environment variable name: letters, digits and "_", not starting with a digit (got ${JSON.stringify(iss.input)})`
    }),
    external_exports.string()
  ).default({}).describe(
    "Plain environment variables for the container; keys are variable names (A-Z a-z 0-9 _); values may use {project} {workload} {stage} {tag} {sha} {url}."
  ),
  secrets: external_exports.array(external_exports.string().regex(ENV_NAME2, { error: "must be an environment variable name" })).default([]).describe(
    "Names of environment variables read from the deploying process and passed to the container."
  ),
  volumes: external_exports.array(
    external_exports.string().regex(/^[^:\s]+:\/[^:\s]*(?::(?:ro|rw))?$/, {
      error: (iss) => `must be "NAME_OR_PATH:/container/path[:ro]" (got ${JSON.stringify(iss.input)})`
    })
  ).default([]).describe("Volumes or bind mounts."),
  network: external_exports.string().min(1).optional().describe("Docker network the container joins (and the proxy forwards over)."),
  mode: external_exports.enum(["httpd", "deno"]).optional().describe("For source static: how the site is served."),
  storage: external_exports.boolean().default(false).describe("For source static in deno mode: mount a persistent volume."),
  base_image: external_exports.string().optional().describe("For source static: the web server image."),
  compose_file: external_exports.string().optional().describe("For source compose: the compose file."),
  service: external_exports.string().optional().describe("For source compose: the service that serves HTTP."),
  // Real apps
  domains,
  release,
  resources,
  bake: bakeSchema
}).superRefine((w, ctx) => {
  const at = (path, message) => ctx.addIssue({ code: "custom", path: [path], message });
  if (w.source === "image" && !w.image) at("image", 'is required when source is "image"');
  if (w.source !== "image" && w.image)
    at("image", `is only used when source is "image" (source is "${w.source}")`);
  if (w.source === "compose" && w.deploy_strategy === "blue-green") {
    at(
      "deploy_strategy",
      'must be "" or "recreate" for source compose: the stack manages its own containers (got "blue-green")'
    );
  }
  if ((w.source === "image" || w.source === "dockerfile") && w.port === void 0) {
    at("port", `is required when source is "${w.source}"`);
  }
  if (w.source === "compose" && w.release)
    at("release", "is not used for source compose (the stack runs its own services)");
  if (w.bake && (w.source === "compose" || w.deploy_strategy === "recreate" || w.deploy_strategy === "" && w.source !== "image"))
    at(
      "bake",
      `needs deploy_strategy "blue-green" (the old release must keep running during the bake; source "${w.source}", deploy_strategy "${w.deploy_strategy}")`
    );
  if (w.source !== "static") {
    if (w.mode) at("mode", `is only used when source is "static" (source is "${w.source}")`);
    if (w.storage) at("storage", `is only used when source is "static" (source is "${w.source}")`);
  }
});
var checkName = external_exports.string().min(1).max(100).regex(/^[^\p{Cc}]+$/u, {
  error: (iss) => `must be a status context or check name on one line (got ${JSON.stringify(iss.input)})`
});
var MAX_PREVIEW_TTL_MS = 720 * 36e5;
var previewTtl = external_exports.string({
  error: (iss) => `must be a duration like "72h" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`
}).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === void 0 || ms < 1e3 || ms > MAX_PREVIEW_TTL_MS) {
    ctx.addIssue({
      code: "custom",
      message: `must be a duration from 1s to 720h (30 days), like "72h" (got ${JSON.stringify(text)})`
    });
    return external_exports.NEVER;
  }
  return ms;
});
var stage = external_exports.strictObject({
  branch: external_exports.string().min(1).optional().describe("Pushes to this branch deploy this stage."),
  pull_requests: external_exports.boolean().default(false).describe("Pull requests deploy previews to this stage, tagged pr-N."),
  max_instances: external_exports.number().int().min(1).optional().describe("Tags kept side by side in this stage."),
  status_context: external_exports.string().optional().describe('Commit status context; default "tinyforge".'),
  env: envMap.describe(
    "Environment of every workload of this stage; wins over workloads.X.env. Values may use {project} {workload} {stage} {tag} {sha} {url}."
  ),
  hosts: external_exports.array(hostUrl).min(1).optional().describe(
    "This stage's Docker hosts, in place of the top-level hosts (one release across all of them)."
  ),
  wait_for_checks: external_exports.union([external_exports.boolean(), external_exports.array(checkName).min(1).max(50)]).optional().describe(
    "The bot deploys a commit to this stage only once its checks are green: true = every commit status and check run on it (tinyforge's own excepted), or the list of contexts / check names to wait for."
  ),
  preview_label: external_exports.string().min(1).max(50).regex(/^[^\p{Cc}]+$/u, { error: "must be a label name on one line" }).optional().describe(
    "With pull_requests: only pull requests carrying this label get a preview; adding it deploys, removing it tears the preview down."
  ),
  preview_ttl: previewTtl.optional().describe(
    'With pull_requests: a preview with no new deploy for this long is torn down (the bot\'s timer, each webhook, `tinyforge reconcile`). From 1s to 720h, e.g. "72h".'
  )
}).superRefine((s, ctx) => {
  if (s.pull_requests) return;
  for (const key of ["preview_label", "preview_ttl"])
    if (s[key] !== void 0)
      ctx.addIssue({ code: "custom", path: [key], message: "is only used with pull_requests: true" });
}).describe("A target environment.");
var adminUrl = external_exports.url({ protocol: /^https?$/ }).refine(
  (u) => {
    const url = new URL(u);
    return url.protocol === "http:" && ["127.0.0.1", "localhost"].includes(url.hostname);
  },
  {
    error: (iss) => `must be http://127.0.0.1:PORT (or localhost): the admin API is reached through the SSH connection, on the host's loopback (got ${JSON.stringify(iss.input)})`
  }
);
var nginxListen = external_exports.string().regex(/^[A-Za-z0-9.:[\]* _=-]+$/, {
  error: (iss) => `must be nginx listen parameters like "80" or "127.0.0.1:8080" (got ${JSON.stringify(iss.input)})`
});
var PROXY_ONLY = {
  server: "caddy",
  caddyfile: "caddy",
  config_dir: "nginx",
  command: "nginx",
  listen: "nginx",
  forward_scheme: "npm",
  certificate_id: "npm",
  ssl_forced: "npm",
  http2_support: "npm",
  block_exploits: "npm",
  allow_websocket_upgrade: "npm"
};
var proxySchema = external_exports.strictObject({
  driver: external_exports.enum(PROXY_DRIVERS).default("none"),
  admin: adminUrl.optional().describe(
    "caddy, npm: admin API on the host's loopback, reached over SSH (default caddy http://127.0.0.1:2019, npm http://127.0.0.1:81)."
  ),
  server: external_exports.string().regex(/^[A-Za-z0-9_.-]+$/, { error: "must be a Caddy server name like srv0" }).optional().describe("caddy: the server in apps.http.servers the routes go into (default srv0)."),
  caddyfile: external_exports.string().regex(/^\//, { error: "must be an absolute path on the host" }).optional().describe(
    "caddy: the Caddyfile caddy is started or reloaded from, read on the host to tell whether a reload would drop tinyforge's routes (default /etc/caddy/Caddyfile)."
  ),
  config_dir: external_exports.string().min(1).optional().describe(
    "nginx: directory of server blocks tinyforge owns, one HOSTNAME.conf per route; include DIR/*.conf in the http block (default /etc/nginx/conf.d/tinyforge)."
  ),
  command: external_exports.array(external_exports.string().min(1)).min(1).optional().describe(
    'nginx: argv that runs nginx on the host; "-t" and "-s reload" are appended (default ["nginx"]; e.g. ["sudo","-n","nginx"] or ["docker","exec","web-proxy","nginx"]).'
  ),
  listen: nginxListen.optional().describe('nginx: listen parameters of each server block (default "80", or "443 ssl" with tls).'),
  forward_scheme: external_exports.enum(["http", "https"]).optional().describe("npm: scheme NPM forwards with (default http)."),
  certificate_id: external_exports.number().int().min(1).optional().describe("npm: id of the NPM certificate the hosts use (required with tls)."),
  ssl_forced: external_exports.boolean().optional().describe("npm: redirect http to https (left as set in NPM when unset)."),
  http2_support: external_exports.boolean().optional().describe("npm: HTTP/2 (left as set in NPM when unset)."),
  block_exploits: external_exports.boolean().optional().describe("npm: block common exploits (left as set in NPM when unset)."),
  allow_websocket_upgrade: external_exports.boolean().optional().describe("npm: allow websocket upgrades (new hosts default to true)."),
  tls: external_exports.boolean().default(false).describe("Routes are served over https.")
}).superRefine((p, ctx) => {
  for (const [key, only] of Object.entries(PROXY_ONLY)) {
    if (p[key] !== void 0 && p.driver !== only) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `is only used when proxy.driver is "${only}" (driver is "${p.driver}")`
      });
    }
  }
  if (p.admin !== void 0 && p.driver !== "caddy" && p.driver !== "npm") {
    ctx.addIssue({
      code: "custom",
      path: ["admin"],
      message: `is only used when proxy.driver is "caddy" or "npm" (driver is "${p.driver}")`
    });
  }
  if (p.driver === "npm" && p.tls && p.certificate_id === void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["certificate_id"],
      message: 'is required when proxy.driver is "npm" and tls is true (the id of an NPM certificate)'
    });
  }
}).describe("Reverse proxy the routes are written to.");
var forge = external_exports.strictObject({
  kind: external_exports.enum(["github", "gitea", "gitlab"]).optional().describe("Default: gitea under Gitea Actions, gitlab under GitLab CI, else github."),
  api: external_exports.url({ protocol: /^https?$/ }).optional().describe(
    "API base, e.g. https://gitea.example.com/api/v1; default GITHUB_API_URL (GitHub and Gitea Actions), CI_API_V4_URL (GitLab CI), else https://api.github.com or https://gitlab.com/api/v4."
  ),
  repo: external_exports.string().regex(/^[^/\s]+(?:\/[^/\s]+)+$/, {
    error: (iss) => `must be "owner/name" (GitLab: "group/sub/project") (got ${JSON.stringify(iss.input)})`
  }).optional().describe("owner/name; default GITHUB_REPOSITORY (GitLab CI: CI_PROJECT_PATH).")
}).describe("Where commit statuses (and GitHub deployments) go; the token comes from the environment.");
var notify = external_exports.strictObject({
  slack: external_exports.strictObject({
    channel: external_exports.string().min(1).describe("Channel ID (C0123\u2026) or name the bot posts to; needs SLACK_BOT_TOKEN.")
  }).optional().describe(
    "One Slack message per deploy, updated as it runs (SLACK_BOT_TOKEN); with only SLACK_WEBHOOK_URL, the result is posted at the end."
  ),
  webhook: external_exports.url({ protocol: /^https?$/ }).optional().describe("POST one JSON document here when a deploy ends (best-effort, 5 s timeout).")
}).describe("Where deploy results are told besides the commit.");
var ssh = external_exports.strictObject({
  connect_timeout: duration.default(1e4).describe(
    "TCP connect + SSH handshake + login must finish within this, or the host is unreachable (exit 4)."
  ),
  keepalive: duration.default(3e3).describe(
    "A keepalive is sent after this much silence; three unanswered in a row (about 4\xD7 this) end the deploy with exit 4."
  )
}).describe("How long tinyforge waits on a host's SSH connection.");
var rollout = external_exports.strictObject({
  parallel: external_exports.number().int().min(1).optional().describe("Hosts that pull/build, start and gate at once; default: all of them."),
  batch: external_exports.number().int().min(1).optional().describe(
    "Rolling batches of this many hosts instead: each batch all or nothing, gated and swapped before the next starts; a failed batch stops the rollout (earlier batches keep the new release)."
  )
}).refine((r) => r.parallel === void 0 || r.batch === void 0, {
  error: "takes parallel or batch, not both"
}).describe("How a stage with several hosts rolls out.");
var swarm = external_exports.strictObject({
  network: dnsName.optional().describe("Overlay network the services and the proxy share (default tinyforge-PROJECT)."),
  endpoint_mode: external_exports.enum(["dnsrr", "vip"]).default("dnsrr").describe(
    "dnsrr: the proxy dials tasks.SERVICE (every task's address); vip: the service's virtual IP, which needs IPVS on the nodes."
  ),
  monitor: duration.default(5e3).describe("After each task of an update starts, how long Swarm watches it before the update counts.")
}).describe("swarm+ssh:// hosts: how services are reached and updated.");
var ipv4 = external_exports.string().refine((ip) => isIP(ip) === 4, {
  error: (iss) => `must be an IPv4 address like "10.0.0.5" (got ${JSON.stringify(iss.input)})`
});
var loadBalancerSchema = external_exports.strictObject({
  host: hostUrl.refine((h) => !h.startsWith("swarm+"), {
    error: "must be a plain host (local or ssh://): a Swarm's proxy is the one in proxy:"
  }).describe('The host the load balancing proxy runs on: "local" or "ssh://USER@HOST[:PORT]".'),
  driver: external_exports.enum(["caddy", "nginx"]).describe("The proxy on that host: caddy (admin API) or nginx (files + reload)."),
  admin: adminUrl.optional().describe("caddy: admin API on the load balancer's loopback (default http://127.0.0.1:2019)."),
  server: external_exports.string().regex(/^[A-Za-z0-9_.-]+$/, { error: "must be a Caddy server name like srv0" }).optional().describe("caddy: the server in apps.http.servers the route goes into (default srv0)."),
  config_dir: external_exports.string().min(1).optional().describe("nginx: directory of server blocks tinyforge owns (default /etc/nginx/conf.d/tinyforge)."),
  command: external_exports.array(external_exports.string().min(1)).min(1).optional().describe('nginx: argv that runs nginx (default ["nginx"]).'),
  listen: nginxListen.optional().describe('nginx: listen parameters of the server block (default "80").'),
  tls: external_exports.boolean().default(false).describe("The route is served over https."),
  private_addresses: external_exports.record(external_exports.string(), ipv4).default({}).describe(
    "Per hosts: entry, the address its containers publish their port on and the load balancer dials (a private network); default: publish_ip, or the host's SSH address when publish_ip is 0.0.0.0."
  ),
  health_interval: duration.default(2e3).describe(
    "How often the proxy asks each host's container its healthcheck path (or /); a host that fails drops out until it answers again."
  )
}).superRefine((lb, ctx) => {
  for (const key of ["server", "admin"])
    if (lb[key] !== void 0 && lb.driver !== "caddy")
      ctx.addIssue({ code: "custom", path: [key], message: `is only used when driver is "caddy"` });
  for (const key of ["config_dir", "command", "listen"])
    if (lb[key] !== void 0 && lb.driver !== "nginx")
      ctx.addIssue({ code: "custom", path: [key], message: `is only used when driver is "nginx"` });
}).describe("A proxy on its own host that spreads each route over every host of the stage.");
var configSchema = external_exports.strictObject({
  project: dnsName.describe("DNS-safe project name."),
  hosts: external_exports.array(hostUrl).min(1).default(["local"]).describe(
    'Docker hosts: "local", "ssh://USER@HOST:PORT", or "swarm+ssh://USER@MANAGER:PORT" (a Swarm manager: each workload is a service); "?socket=/PATH" names a Docker socket other than /var/run/docker.sock.'
  ),
  swarm: swarm.default({ endpoint_mode: "dnsrr", monitor: 5e3 }),
  ssh: ssh.default({ connect_timeout: 1e4, keepalive: 3e3 }),
  proxy: proxySchema.default({ driver: "none", tls: false }),
  domain: external_exports.string().regex(
    /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
    {
      error: (iss) => `must be a lowercase DNS name like "example.com" (got ${JSON.stringify(iss.input)})`
    }
  ).optional().describe("Routes are HOSTNAME.DOMAIN."),
  hostname_pattern: external_exports.string().optional().describe(
    `Route hostname of a stage's untagged instance; may use {project} {stage} {workload}. Default "stage-{stage}-{project}", or "stage-{stage}-{project}-{workload}" when more than one workload is routed.`
  ),
  tag_hostname_pattern: external_exports.string().optional().describe(
    'Route hostname of a tagged instance (tags, PR previews); must use {tag}. Default "stage-{stage}-{project}-{tag}", or "stage-{stage}-{project}-{workload}-{tag}" when more than one workload is routed.'
  ),
  publish_ip: external_exports.string().refine((ip) => isIP(ip) !== 0, {
    // Docker publishes on every address when it cannot use this one: around the proxy.
    error: (iss) => `must be an IP address like "127.0.0.1" or "0.0.0.0" (got ${JSON.stringify(iss.input)})`
  }).default("127.0.0.1").describe("IP address container ports are published on; 0.0.0.0 exposes them."),
  state_dir: external_exports.string().default(".tinyforge").describe("Where deploy state lives on each host; relative paths are under the SSH user's home."),
  lock_timeout: duration.default(6e4).describe("How long a deploy waits for another one on the same workload."),
  stages: external_exports.record(dnsName, stage).describe("Target environments by name."),
  workloads: external_exports.record(dnsName, workload).describe("What gets deployed, by name."),
  accessories: external_exports.record(dnsName, accessorySchema).default({}).describe("Long-lived services beside the workloads (a database, a cache), by name."),
  rollout: rollout.default({}),
  load_balancer: loadBalancerSchema.optional(),
  forge: forge.optional(),
  notify: notify.optional()
}).superRefine((c, ctx) => {
  if (Object.keys(c.stages).length === 0)
    ctx.addIssue({ code: "custom", path: ["stages"], message: "must name at least one stage" });
  if (Object.keys(c.workloads).length === 0) {
    ctx.addIssue({ code: "custom", path: ["workloads"], message: "must name at least one workload" });
  }
  for (const [name, w] of Object.entries(c.workloads)) {
    for (const stage2 of Object.keys(w.domains ?? {})) {
      if (!Object.hasOwn(c.stages, stage2))
        ctx.addIssue({
          code: "custom",
          path: ["workloads", name, "domains", stage2],
          message: `names no stage in stages (have: ${Object.keys(c.stages).join(", ")})`
        });
    }
  }
  const allHosts = [...c.hosts, ...Object.values(c.stages).flatMap((st) => st.hosts ?? [])];
  if (allHosts.some((h) => h.startsWith("swarm+"))) {
    for (const [name, w] of Object.entries(c.workloads)) {
      if (w.source === "compose")
        ctx.addIssue({
          code: "custom",
          path: ["workloads", name, "source"],
          message: 'must not be "compose" with a swarm+ssh:// host: each workload runs as one Swarm service'
        });
    }
  }
  if (c.load_balancer) {
    for (const entry of Object.keys(c.load_balancer.private_addresses))
      if (!allHosts.includes(entry))
        ctx.addIssue({
          code: "custom",
          path: ["load_balancer", "private_addresses", entry],
          message: `names no entry of hosts or stages.S.hosts (have: ${[...new Set(allHosts)].join(", ")})`
        });
    if (allHosts.some((h) => h.startsWith("swarm+")))
      ctx.addIssue({
        code: "custom",
        path: ["load_balancer"],
        message: "is for plain hosts: a Swarm spreads a service over its nodes itself"
      });
    if (!c.domain)
      ctx.addIssue({
        code: "custom",
        path: ["domain"],
        message: "is required with load_balancer (the route's hostname)"
      });
  }
  for (const [name, w] of Object.entries(c.workloads)) {
    if (!w.bake) continue;
    const why = bakeHostsProblem(c.hosts, Object.values(c.stages));
    if (why) ctx.addIssue({ code: "custom", path: ["workloads", name, "bake"], message: why });
  }
  if (c.proxy.driver !== "none" && !c.domain) {
    ctx.addIssue({
      code: "custom",
      path: ["domain"],
      message: `is required when proxy.driver is "${c.proxy.driver}"`
    });
  }
});

// src/config/load.ts
async function loadConfig(file, text) {
  const path = resolve(file);
  if (text === void 0) text = await readConfigFile(file, path);
  return { config: parseConfig(text, file), dir: dirname(path), file: path };
}
async function readConfigFile(file, path) {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = e.code;
    if (code === "ENOENT") {
      throw new TinyforgeError("config_invalid", `config file not found: ${file}`, {
        hint: "pass -c FILE or create tinyforge.yml"
      });
    }
    throw new TinyforgeError("config_invalid", `cannot read config file ${file}: ${errorMessage(e)}`, {
      cause: e
    });
  }
}
function parseConfig(text, file = "tinyforge.yml") {
  return validateConfig(parseYaml(text, file), file);
}
function validateConfig(data, file = "tinyforge.yml") {
  if (data === null || data === void 0)
    throw new TinyforgeError("config_invalid", `config file is empty: ${file}`);
  const result = configSchema.safeParse(data, { reportInput: true, error: humanErrorMap });
  const details = result.success ? planProblems(result.data) : formatIssues(result.error.issues, configSchema);
  if (details.length > 0) {
    const n = details.length;
    throw new TinyforgeError("config_invalid", `${file}: ${n} error${n === 1 ? "" : "s"} in config`, {
      details
    });
  }
  return result.data;
}
function parseYaml(text, file) {
  const doc = import_yaml.default.parseDocument(text);
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    const [head = "", ...rest] = first.message.split("\n");
    const reason = head.replace(/ at line \d+, column \d+:?$/, "");
    while (rest[0]?.trim() === "") rest.shift();
    while (rest.at(-1)?.trim() === "") rest.pop();
    throw new TinyforgeError("config_invalid", `${where}: invalid YAML: ${reason}`, { details: rest });
  }
  try {
    return doc.toJS();
  } catch (e) {
    throw new TinyforgeError("config_invalid", `${file}: invalid YAML: ${errorMessage(e)}`, { cause: e });
  }
}
function planProblems(config) {
  const problems = [];
  const check = (path, fn) => {
    try {
      fn();
    } catch (e) {
      const line = `${path}: ${errorMessage(e)}`;
      if (!problems.includes(line)) problems.push(line);
    }
  };
  const patterns = hostnamePatterns(config);
  const workload2 = Object.keys(config.workloads)[0];
  const fits = (host) => {
    const full = config.domain ? `${host}.${config.domain}` : host;
    if (full.length > 253)
      throw new Error(`gives hostname ${full.slice(0, 40)}\u2026 of ${full.length} characters (at most 253)`);
  };
  for (const stage2 of Object.keys(config.stages)) {
    check("hostname_pattern", () => fits(hostname(patterns, { project: config.project, stage: stage2, workload: workload2 })));
    check(
      "tag_hostname_pattern",
      () => fits(hostname(patterns, { project: config.project, stage: stage2, workload: workload2, tag: "pr-1" }))
    );
    for (const [name, w] of Object.entries(config.workloads)) {
      const sample = { sha: "0".repeat(40), ref: "main", tag: "pr-1", stage: stage2 };
      if (w.image) check(`workloads.${name}.image`, () => expandImage(w.image, sample));
    }
  }
  for (const [name, w] of Object.entries(config.workloads)) {
    if (w.base_image) check(`workloads.${name}.base_image`, () => validateImageReference(w.base_image));
  }
  problems.push(...routeCollisions(config));
  return problems;
}

export {
  humanErrorMap,
  formatIssues,
  ENV_NAME2 as ENV_NAME,
  dnsName,
  duration,
  hostUrl,
  memorySize,
  proxySchema,
  loadBalancerSchema,
  loadConfig,
  parseConfig,
  validateConfig
};
