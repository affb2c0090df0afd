import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  NEVER,
  PROXY_DRIVERS,
  SOURCES,
  STRATEGIES,
  _default,
  _enum,
  _gt,
  _gte,
  _lte,
  _maxLength,
  _minLength,
  _regex,
  _startsWith,
  array,
  bakeHostsProblem,
  boolean,
  describe,
  int,
  meta,
  number,
  optional,
  parseMemory,
  pipe,
  record,
  refine,
  strictObject,
  string,
  superRefine,
  transform,
  union,
  url
} from "./chunk-MEIW7ZG6.js";
import {
  MAX_DURATION_MS,
  SSH_URL,
  parseDuration
} from "./chunk-6YYFZVAX.js";

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
var accessorySchema = strictObject({
  image: string().check(
    _minLength(1),
    describe("Image to run, used as written (pulled when the host lacks it).")
  ),
  port: optional(int().check(_gte(1), _lte(65535))).check(
    describe("Port the service listens on; workloads reach it as NAME:PORT. Never published on the host.")
  ),
  env: _default(record(string(), string()), {}).check(describe("Plain environment variables.")),
  secrets: _default(
    array(string().check(_regex(ENV_NAME, { error: "must be an environment variable name" }))),
    []
  ).check(describe("Names of environment variables read from the process running `tinyforge accessory up`.")),
  volumes: _default(
    array(
      string().check(
        _regex(/^[^:\s]+:\/[^:\s]*(?::(?:ro|rw))?$/, {
          error: (iss) => `must be "NAME_OR_PATH:/container/path[:ro]" (got ${JSON.stringify(iss.input)})`
        })
      )
    ),
    []
  ).check(
    describe(
      'Named volumes are per stage ("pgdata" becomes PROJECT-STAGE-pgdata) and outlive `down` unless --remove-data.'
    )
  ),
  command: optional(array(string())).check(describe("Overrides the image's command (argv, no shell).")),
  per_tag: _default(boolean(), false).check(
    describe(
      "A tagged instance (a PR preview) gets its own accessory (`accessory up NAME --stage S --tag T`); by default every tag of a stage shares the stage's."
    )
  )
}).check(
  describe("A long-lived service of the project, one per stage, reachable from the workloads by its name.")
);

// src/config/http-path.ts
function httpPath() {
  return string().check(
    _startsWith("/", { error: 'must start with "/"' }),
    // The path goes into an HTTP request line: a space or control character would break it.
    _regex(/^[^\s\p{Cc}]*$/u, {
      error: (iss) => `must be a URL path without spaces or control characters (got ${JSON.stringify(iss.input)})`
    })
  );
}

// src/config/parsed.ts
function parsed(text, read) {
  return pipe(text, transform(read));
}
function failed(ctx, message) {
  ctx.issues.push({ code: "custom", message, input: ctx.value });
  return NEVER;
}

// src/config/bake.ts
var MAX_BAKE_MS = 30 * 6e4;
function boundedDuration(what, minMs, maxMs, bounds) {
  return parsed(
    string({
      error: (iss) => `must be a duration string like "2m" or "1s" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`
    }).check(describe(`${what} A duration, ${bounds}.`)),
    (text, ctx) => {
      const ms = parseDuration(text);
      if (ms === void 0)
        return failed(ctx, `must be a duration like "500ms", "5s" or "2m" (got ${JSON.stringify(text)})`);
      if (ms < minMs || ms > maxMs) return failed(ctx, `must be ${bounds} (got ${JSON.stringify(text)})`);
      return ms;
    }
  );
}
var PERCENT = /^(\d{1,3}(?:\.\d{1,3})?)%$/;
function parsePercent(text) {
  const m = PERCENT.exec(text.trim());
  if (!m) return void 0;
  const n = Number(m[1]);
  return n <= 100 ? n / 100 : void 0;
}
var percent = parsed(
  string({
    error: (iss) => `must be a percentage like "1%" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`
  }),
  (text, ctx) => {
    const rate = parsePercent(text);
    if (rate === void 0)
      return failed(
        ctx,
        `must be a percentage from "0%" to "100%" like "1%" or "0.5%" (got ${JSON.stringify(text)})`
      );
    return rate;
  }
);
var probe = strictObject({
  path: _default(httpPath(), "/").check(
    describe("HTTP path the soak probe requests on the new container's port.")
  ),
  every: _default(boundedDuration("Pause between probes.", 100, 6e4, "from 100ms to 1m"), 1e3),
  timeout: _default(
    boundedDuration(
      "A probe with no answer in this time counts as an error.",
      100,
      3e4,
      "from 100ms to 30s"
    ),
    2e3
  )
}).check(
  describe("The soak probe: one GET at a time, through the deploy's SSH connection, to the new container.")
);
var bakeSchema = optional(
  strictObject({
    for: boundedDuration(
      "How long the new release is soaked before the old one is retired; the deploy holds its lock that long.",
      1e3,
      MAX_BAKE_MS,
      "from 1s to 30m"
    ),
    probe: _default(probe, { path: "/", every: 1e3, timeout: 2e3 }),
    max_error_rate: _default(percent, 0.01).check(
      describe(
        'Largest share of probes that may fail (no answer, or a status outside 2xx/3xx): "1%". Default 1%.'
      )
    ),
    max_p99: optional(
      boundedDuration(
        "Largest 99th-percentile probe latency; unset: latency is reported, not judged.",
        1,
        3e4,
        "from 1ms to 30s"
      )
    )
  }).check(
    superRefine((b, ctx) => {
      if (b.probe.every > b.for)
        ctx.addIssue({
          code: "custom",
          path: ["probe", "every"],
          message: "must be at most bake.for (at least one probe runs)"
        });
    })
  )
).check(
  describe(
    "Bake window: after the swap the old release keeps running (without traffic) while a soak probe checks the new one for `for`; failed thresholds put the route back on the old release and fail the deploy. Needs deploy_strategy blue-green and one host (not Swarm)."
  )
);

// src/config/limits.ts
var MAX_WORKLOADS = 100;
var MAX_STAGES = 50;
var MAX_ACCESSORIES = 50;
var MAX_DOMAINS_PER_STAGE = 20;
function cappedRecord(key, value, max, noun) {
  return record(key, value).check(
    refine((r) => Object.keys(r).length <= max, {
      error: (iss) => `must name at most ${max} ${noun} (got ${Object.keys(iss.input).length})`
    }),
    meta({ maxProperties: max })
  );
}

// src/config/schema.ts
var DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
var ENV_NAME2 = /^[A-Za-z_][A-Za-z0-9_]*$/;
var dnsName = string().check(
  _regex(DNS_LABEL, {
    error: (iss) => `must be DNS-safe: lowercase letters, digits and "-", 1-63 characters, not starting or ending with "-" (got ${JSON.stringify(iss.input)})`
  })
);
var duration = parsed(
  string({
    error: (iss) => `must be a duration string like "5s" or "500ms" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`
  }).check(describe('A duration: "500ms", "5s", "2m", "1m30s"; at most 24h.')),
  (text, ctx) => {
    const ms = parseDuration(text);
    if (ms === void 0)
      return failed(ctx, `must be a duration like "500ms", "5s" or "2m" (got ${JSON.stringify(text)})`);
    if (ms > MAX_DURATION_MS) return failed(ctx, `must be at most 24h (got ${JSON.stringify(text)})`);
    return ms;
  }
);
var hostUrl = string().check(
  refine((h) => h === "local" || SSH_URL.test(h), {
    error: (iss) => `must be "local", "ssh://USER@HOST[:PORT][?socket=/PATH]" or "swarm+ssh://USER@MANAGER[:PORT]" (got ${JSON.stringify(iss.input)})`
  }),
  refine(
    (h) => {
      const port = SSH_URL.exec(h)?.[3];
      return port === void 0 || Number(port) >= 1 && Number(port) <= 65535;
    },
    { error: (iss) => `must have an SSH port from 1 to 65535 (got ${JSON.stringify(iss.input)})` }
  )
);
var healthcheck = strictObject({
  path: httpPath().check(describe("HTTP path probed on the container's port.")),
  retries: _default(int().check(_gte(1), _lte(100)), 3).check(
    describe("The gate probes for retries \xD7 interval before it fails.")
  ),
  interval: _default(duration, 5e3).check(
    describe(
      "Longest pause between probes (they start at once, then wait 1/20 of the container's age, at least 50 ms)."
    )
  ),
  timeout: _default(duration, 1e4).check(describe("Time allowed for one attempt.")),
  expect_status: optional(int().check(_gte(100), _lte(599))).check(
    describe("Status that counts as healthy; default any 2xx or 3xx.")
  )
}).check(describe("HTTP readiness probe that gates every new container."));
var HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
var fullHostname = string().check(
  _regex(HOSTNAME, {
    error: (iss) => `must be a lowercase DNS name like "shop.example.com" (got ${JSON.stringify(iss.input)})`
  })
);
var domains = optional(
  cappedRecord(
    dnsName,
    array(fullHostname).check(_minLength(1), _maxLength(MAX_DOMAINS_PER_STAGE)),
    MAX_STAGES,
    "stages"
  )
).check(
  describe(
    `Full hostnames of each stage's untagged instance, by stage: the first is its URL, all route to the same container (at most ${MAX_DOMAINS_PER_STAGE} a stage). Tagged instances keep tag_hostname_pattern.`
  )
);
var envMap = _default(
  record(string().check(_regex(ENV_NAME2, { error: "must be an environment variable name" })), string()),
  {}
);
var release = optional(
  strictObject({
    command: array(string()).check(
      _minLength(1),
      describe("argv run in a one-off container of the new image (no shell), e.g. [bin/migrate].")
    ),
    timeout: _default(duration, 6e5).check(
      describe("The release fails (and the deploy with it) after this long.")
    )
  })
).check(
  describe(
    "Runs once per deploy, after the image is ready and before the new container starts, with the instance's env, secrets, network and volumes; a non-zero exit fails the deploy and the old version keeps serving."
  )
);
var memorySize = string().check(
  refine((t) => (parseMemory(t) ?? 0) >= 6 * 1024 ** 2, {
    error: (iss) => `must be a size of at least 6m like "512m" or "1g" (got ${JSON.stringify(iss.input)})`
  })
);
var resources = optional(
  strictObject({
    memory: optional(memorySize).check(
      describe(`Memory limit of each container: "512m", "1g" (Docker's minimum is 6m).`)
    ),
    cpus: optional(number().check(_gt(0, { error: "must be greater than 0" }), _lte(1024))).check(
      describe("CPU limit of each container, in cores: 0.5, 1.5.")
    )
  })
).check(describe("Limits of each container of the workload (the release step's too)."));
var workload = strictObject({
  source: _enum(SOURCES).check(describe("Where the workload's image comes from.")),
  image: optional(string().check(_minLength(1))).check(
    describe("For source image: the reference to pull; {sha} {ref} {tag} {stage} are expanded.")
  ),
  pull: _default(_enum(["always", "missing"]), "always").check(
    describe(
      'For source image: "always" asks the registry each deploy; "missing" uses a local copy when there is one.'
    )
  ),
  dockerfile: _default(string(), "Dockerfile").check(
    describe("For source dockerfile: path inside the context.")
  ),
  context: _default(string(), ".").check(describe("Build context, relative to the config file's directory.")),
  build_args: _default(record(string(), string()), {}).check(describe("Docker build arguments.")),
  port: optional(int().check(_gte(1), _lte(65535))).check(
    describe("Port the app listens on inside the container.")
  ),
  command: optional(array(string())).check(describe("Overrides the image's command (argv, no shell).")),
  replicas: optional(int().check(_gte(1), _lte(100))).check(
    describe("On a swarm+ssh:// host: tasks of the workload's Swarm service (default 1).")
  ),
  deploy_strategy: _default(_enum(STRATEGIES), "").check(
    describe(`"" picks the source's default: image -> blue-green, others -> recreate.`)
  ),
  healthcheck: optional(healthcheck),
  liveness_window: _default(duration, 5e3).check(
    describe("With no healthcheck: how long the container must stay running without restarting.")
  ),
  drain: _default(duration, 2e3).check(
    describe("Grace after the swap before the old container is stopped.")
  ),
  stop_timeout: _default(duration, 1e4).check(
    describe("Time the old container gets to stop before it is killed.")
  ),
  max_instances: optional(int().check(_gte(1))).check(
    describe("Tags of one stage kept side by side; oldest evicted.")
  ),
  keep_releases: _default(int().check(_gte(1)), 3).check(
    describe("Releases whose images are kept for rollback.")
  ),
  report_commit_status: _default(boolean(), true).check(describe("Send commit statuses for this workload.")),
  env: _default(
    record(
      string().check(
        _regex(ENV_NAME2, {
          error: (iss) => `must be an environment variable name: letters, digits and "_", not starting with a digit (got ${JSON.stringify(iss.input)})`
        })
      ),
      string()
    ),
    {}
  ).check(
    describe(
      "Plain environment variables for the container; keys are variable names (A-Z a-z 0-9 _); values may use {project} {workload} {stage} {tag} {sha} {url}."
    )
  ),
  secrets: _default(
    array(string().check(_regex(ENV_NAME2, { error: "must be an environment variable name" }))),
    []
  ).check(
    describe("Names of environment variables read from the deploying process and passed to the container.")
  ),
  volumes: _default(
    array(
      string().check(
        _regex(/^[^:\s]+:\/[^:\s]*(?::(?:ro|rw))?$/, {
          error: (iss) => `must be "NAME_OR_PATH:/container/path[:ro]" (got ${JSON.stringify(iss.input)})`
        })
      )
    ),
    []
  ).check(describe("Volumes or bind mounts.")),
  network: optional(string().check(_minLength(1))).check(
    describe("Docker network the container joins (and the proxy forwards over).")
  ),
  mode: optional(_enum(["httpd", "deno"])).check(describe("For source static: how the site is served.")),
  storage: _default(boolean(), false).check(
    describe("For source static in deno mode: mount a persistent volume.")
  ),
  base_image: optional(string()).check(describe("For source static: the web server image.")),
  compose_file: optional(string()).check(describe("For source compose: the compose file.")),
  service: optional(string()).check(describe("For source compose: the service that serves HTTP.")),
  // Real apps
  domains,
  release,
  resources,
  bake: bakeSchema
}).check(
  superRefine((w, ctx) => {
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
  })
);
var checkName = string().check(
  _minLength(1),
  _maxLength(100),
  _regex(/^[^\p{Cc}]+$/u, {
    error: (iss) => `must be a status context or check name on one line (got ${JSON.stringify(iss.input)})`
  })
);
var MAX_PREVIEW_TTL_MS = 720 * 36e5;
var previewTtl = parsed(
  string({
    error: (iss) => `must be a duration like "72h" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`
  }),
  (text, ctx) => {
    const ms = parseDuration(text);
    if (ms === void 0 || ms < 1e3 || ms > MAX_PREVIEW_TTL_MS)
      return failed(
        ctx,
        `must be a duration from 1s to 720h (30 days), like "72h" (got ${JSON.stringify(text)})`
      );
    return ms;
  }
);
var stage = strictObject({
  branch: optional(string().check(_minLength(1))).check(describe("Pushes to this branch deploy this stage.")),
  pull_requests: _default(boolean(), false).check(
    describe("Pull requests deploy previews to this stage, tagged pr-N.")
  ),
  max_instances: optional(int().check(_gte(1))).check(describe("Tags kept side by side in this stage.")),
  status_context: optional(string()).check(
    describe('Commit status context; default "tinyforge". The bot takes only "tinyforge" or "tinyforge/\u2026".')
  ),
  env: envMap.check(
    describe(
      "Environment of every workload of this stage; wins over workloads.X.env. Values may use {project} {workload} {stage} {tag} {sha} {url}."
    )
  ),
  hosts: optional(array(hostUrl).check(_minLength(1))).check(
    describe("This stage's Docker hosts, in place of the top-level hosts (one release across all of them).")
  ),
  wait_for_checks: optional(union([boolean(), array(checkName).check(_minLength(1), _maxLength(50))])).check(
    describe(
      "The bot deploys a commit to this stage only once its checks are green: true = every commit status and check run on it (tinyforge's own excepted), or the list of contexts / check names to wait for."
    )
  ),
  preview_label: optional(
    string().check(
      _minLength(1),
      _maxLength(50),
      _regex(/^[^\p{Cc}]+$/u, { error: "must be a label name on one line" })
    )
  ).check(
    describe(
      "With pull_requests: only pull requests carrying this label get a preview; adding it deploys, removing it tears the preview down."
    )
  ),
  preview_ttl: optional(previewTtl).check(
    describe(
      'With pull_requests: a preview with no new deploy for this long is torn down (the bot\'s timer, each webhook, `tinyforge reconcile`). From 1s to 720h, e.g. "72h".'
    )
  )
}).check(
  superRefine((s, ctx) => {
    if (s.pull_requests) return;
    for (const key of ["preview_label", "preview_ttl"])
      if (s[key] !== void 0)
        ctx.addIssue({ code: "custom", path: [key], message: "is only used with pull_requests: true" });
  }),
  describe("A target environment.")
);
var adminUrl = url({ protocol: /^https?$/ }).check(
  refine(
    (u) => {
      if (!URL.canParse(u)) return true;
      const at = new URL(u);
      return at.protocol === "http:" && ["127.0.0.1", "localhost"].includes(at.hostname);
    },
    {
      error: (iss) => `must be http://127.0.0.1:PORT (or localhost): the admin API is reached through the SSH connection, on the host's loopback (got ${JSON.stringify(iss.input)})`
    }
  )
);
var nginxListen = string().check(
  _regex(/^[A-Za-z0-9.:[\]* _=-]+$/, {
    error: (iss) => `must be nginx listen parameters like "80" or "127.0.0.1:8080" (got ${JSON.stringify(iss.input)})`
  })
);
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
var proxySchema = strictObject({
  driver: _default(_enum(PROXY_DRIVERS), "none"),
  admin: optional(adminUrl).check(
    describe(
      "caddy, npm: admin API on the host's loopback, reached over SSH (default caddy http://127.0.0.1:2019, npm http://127.0.0.1:81)."
    )
  ),
  server: optional(
    string().check(_regex(/^[A-Za-z0-9_.-]+$/, { error: "must be a Caddy server name like srv0" }))
  ).check(describe("caddy: the server in apps.http.servers the routes go into (default srv0).")),
  caddyfile: optional(string().check(_regex(/^\//, { error: "must be an absolute path on the host" }))).check(
    describe(
      "caddy: the Caddyfile caddy is started or reloaded from, read on the host to tell whether a reload would drop tinyforge's routes (default /etc/caddy/Caddyfile)."
    )
  ),
  config_dir: optional(string().check(_minLength(1))).check(
    describe(
      "nginx: directory of server blocks tinyforge owns, one HOSTNAME.conf per route; include DIR/*.conf in the http block (default /etc/nginx/conf.d/tinyforge)."
    )
  ),
  command: optional(array(string().check(_minLength(1))).check(_minLength(1))).check(
    describe(
      'nginx: argv that runs nginx on the host; "-t" and "-s reload" are appended (default ["nginx"]; e.g. ["sudo","-n","nginx"] or ["docker","exec","web-proxy","nginx"]).'
    )
  ),
  listen: optional(nginxListen).check(
    describe('nginx: listen parameters of each server block (default "80", or "443 ssl" with tls).')
  ),
  forward_scheme: optional(_enum(["http", "https"])).check(
    describe("npm: scheme NPM forwards with (default http).")
  ),
  certificate_id: optional(int().check(_gte(1))).check(
    describe("npm: id of the NPM certificate the hosts use (required with tls).")
  ),
  ssl_forced: optional(boolean()).check(
    describe("npm: redirect http to https (left as set in NPM when unset).")
  ),
  http2_support: optional(boolean()).check(describe("npm: HTTP/2 (left as set in NPM when unset).")),
  block_exploits: optional(boolean()).check(
    describe("npm: block common exploits (left as set in NPM when unset).")
  ),
  allow_websocket_upgrade: optional(boolean()).check(
    describe("npm: allow websocket upgrades (new hosts default to true).")
  ),
  tls: _default(boolean(), false).check(describe("Routes are served over https."))
}).check(
  superRefine((p, ctx) => {
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
  }),
  describe("Reverse proxy the routes are written to.")
);
var forge = strictObject({
  kind: optional(_enum(["github", "gitea", "gitlab"])).check(
    describe("Default: gitea under Gitea Actions, gitlab under GitLab CI, else github.")
  ),
  api: optional(url({ protocol: /^https?$/ })).check(
    describe(
      "API base, e.g. https://gitea.example.com/api/v1; default GITHUB_API_URL (GitHub and Gitea Actions), CI_API_V4_URL (GitLab CI), else https://api.github.com or https://gitlab.com/api/v4."
    )
  ),
  repo: optional(
    string().check(
      _regex(/^[^/\s]+(?:\/[^/\s]+)+$/, {
        error: (iss) => `must be "owner/name" (GitLab: "group/sub/project") (got ${JSON.stringify(iss.input)})`
      })
    )
  ).check(describe("owner/name; default GITHUB_REPOSITORY (GitLab CI: CI_PROJECT_PATH)."))
}).check(
  describe("Where commit statuses (and GitHub deployments) go; the token comes from the environment.")
);
var notify = strictObject({
  slack: optional(
    strictObject({
      channel: string().check(
        _minLength(1),
        describe(
          "Channel ID (C0123\u2026) or name the bot posts to; needs SLACK_BOT_TOKEN. The bot: one its operator lists for the project."
        )
      )
    })
  ).check(
    describe(
      "One Slack message per deploy, updated as it runs (SLACK_BOT_TOKEN); with only SLACK_WEBHOOK_URL, the result is posted at the end."
    )
  ),
  webhook: optional(url({ protocol: /^https?$/ })).check(
    describe(
      "POST one JSON document here when a deploy ends (best-effort, 5 s timeout). The bot: https to a public address, unless its operator lists the origin."
    )
  )
}).check(describe("Where deploy results are told besides the commit."));
var ssh = strictObject({
  connect_timeout: _default(duration, 1e4).check(
    describe(
      "TCP connect + SSH handshake + login must finish within this, or the host is unreachable (exit 4)."
    )
  ),
  keepalive: _default(duration, 3e3).check(
    describe(
      "A keepalive is sent after this much silence; three unanswered in a row (about 4\xD7 this) end the deploy with exit 4."
    )
  )
}).check(describe("How long tinyforge waits on a host's SSH connection."));
var rollout = strictObject({
  parallel: optional(int().check(_gte(1))).check(
    describe("Hosts that pull/build, start and gate at once; default: all of them.")
  ),
  batch: optional(int().check(_gte(1))).check(
    describe(
      "Rolling batches of this many hosts instead: each batch all or nothing, gated and swapped before the next starts; a failed batch stops the rollout (earlier batches keep the new release)."
    )
  )
}).check(
  refine((r) => r.parallel === void 0 || r.batch === void 0, {
    error: "takes parallel or batch, not both"
  }),
  describe("How a stage with several hosts rolls out.")
);
var swarm = strictObject({
  network: optional(dnsName).check(
    describe("Overlay network the services and the proxy share (default tinyforge-PROJECT).")
  ),
  endpoint_mode: _default(_enum(["dnsrr", "vip"]), "dnsrr").check(
    describe(
      "dnsrr: the proxy dials tasks.SERVICE (every task's address); vip: the service's virtual IP, which needs IPVS on the nodes."
    )
  ),
  monitor: _default(duration, 5e3).check(
    describe("After each task of an update starts, how long Swarm watches it before the update counts.")
  )
}).check(describe("swarm+ssh:// hosts: how services are reached and updated."));
var ipv4 = string().check(
  refine((ip) => isIP(ip) === 4, {
    error: (iss) => `must be an IPv4 address like "10.0.0.5" (got ${JSON.stringify(iss.input)})`
  })
);
var loadBalancerSchema = strictObject({
  host: hostUrl.check(
    refine((h) => !h.startsWith("swarm+"), {
      error: "must be a plain host (local or ssh://): a Swarm's proxy is the one in proxy:"
    }),
    describe('The host the load balancing proxy runs on: "local" or "ssh://USER@HOST[:PORT]".')
  ),
  driver: _enum(["caddy", "nginx"]).check(
    describe("The proxy on that host: caddy (admin API) or nginx (files + reload).")
  ),
  admin: optional(adminUrl).check(
    describe("caddy: admin API on the load balancer's loopback (default http://127.0.0.1:2019).")
  ),
  server: optional(
    string().check(_regex(/^[A-Za-z0-9_.-]+$/, { error: "must be a Caddy server name like srv0" }))
  ).check(describe("caddy: the server in apps.http.servers the route goes into (default srv0).")),
  config_dir: optional(string().check(_minLength(1))).check(
    describe("nginx: directory of server blocks tinyforge owns (default /etc/nginx/conf.d/tinyforge).")
  ),
  command: optional(array(string().check(_minLength(1))).check(_minLength(1))).check(
    describe('nginx: argv that runs nginx (default ["nginx"]).')
  ),
  listen: optional(nginxListen).check(
    describe('nginx: listen parameters of the server block (default "80").')
  ),
  tls: _default(boolean(), false).check(describe("The route is served over https.")),
  private_addresses: _default(record(string(), ipv4), {}).check(
    describe(
      "Per hosts: entry, the address its containers publish their port on and the load balancer dials (a private network); default: publish_ip, or the host's SSH address when publish_ip is 0.0.0.0."
    )
  ),
  health_interval: _default(duration, 2e3).check(
    describe(
      "How often the proxy asks each host's container its healthcheck path (or /); a host that fails drops out until it answers again."
    )
  )
}).check(
  superRefine((lb, ctx) => {
    for (const key of ["server", "admin"])
      if (lb[key] !== void 0 && lb.driver !== "caddy")
        ctx.addIssue({ code: "custom", path: [key], message: `is only used when driver is "caddy"` });
    for (const key of ["config_dir", "command", "listen"])
      if (lb[key] !== void 0 && lb.driver !== "nginx")
        ctx.addIssue({ code: "custom", path: [key], message: `is only used when driver is "nginx"` });
  }),
  describe("A proxy on its own host that spreads each route over every host of the stage.")
);
var configSchema = strictObject({
  project: dnsName.check(describe("DNS-safe project name.")),
  hosts: _default(array(hostUrl).check(_minLength(1)), ["local"]).check(
    describe(
      'Docker hosts: "local", "ssh://USER@HOST:PORT", or "swarm+ssh://USER@MANAGER:PORT" (a Swarm manager: each workload is a service); "?socket=/PATH" names a Docker socket other than /var/run/docker.sock.'
    )
  ),
  swarm: _default(swarm, { endpoint_mode: "dnsrr", monitor: 5e3 }),
  ssh: _default(ssh, { connect_timeout: 1e4, keepalive: 3e3 }),
  proxy: _default(proxySchema, { driver: "none", tls: false }),
  domain: optional(
    string().check(
      _regex(
        /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
        {
          error: (iss) => `must be a lowercase DNS name like "example.com" (got ${JSON.stringify(iss.input)})`
        }
      )
    )
  ).check(describe("Routes are HOSTNAME.DOMAIN.")),
  hostname_pattern: optional(string()).check(
    describe(
      `Route hostname of a stage's untagged instance; may use {project} {stage} {workload}. Default "stage-{stage}-{project}", or "stage-{stage}-{project}-{workload}" when more than one workload is routed.`
    )
  ),
  tag_hostname_pattern: optional(string()).check(
    describe(
      'Route hostname of a tagged instance (tags, PR previews); must use {tag}. Default "stage-{stage}-{project}-{tag}", or "stage-{stage}-{project}-{workload}-{tag}" when more than one workload is routed.'
    )
  ),
  publish_ip: _default(
    string().check(
      refine((ip) => isIP(ip) !== 0, {
        // Docker publishes on every address when it cannot use this one: around the proxy.
        error: (iss) => `must be an IP address like "127.0.0.1" or "0.0.0.0" (got ${JSON.stringify(iss.input)})`
      })
    ),
    "127.0.0.1"
  ).check(describe("IP address container ports are published on; 0.0.0.0 exposes them.")),
  state_dir: _default(string(), ".tinyforge").check(
    describe("Where deploy state lives on each host; relative paths are under the SSH user's home.")
  ),
  lock_timeout: _default(duration, 6e4).check(
    describe("How long a deploy waits for another one on the same workload.")
  ),
  stages: cappedRecord(dnsName, stage, MAX_STAGES, "stages").check(
    describe(`Target environments by name (at most ${MAX_STAGES}).`)
  ),
  workloads: cappedRecord(dnsName, workload, MAX_WORKLOADS, "workloads").check(
    describe(`What gets deployed, by name (at most ${MAX_WORKLOADS}).`)
  ),
  accessories: _default(cappedRecord(dnsName, accessorySchema, MAX_ACCESSORIES, "accessories"), {}).check(
    describe(
      `Long-lived services beside the workloads (a database, a cache), by name (at most ${MAX_ACCESSORIES}).`
    )
  ),
  rollout: _default(rollout, {}),
  load_balancer: optional(loadBalancerSchema),
  forge: optional(forge),
  notify: optional(notify)
}).check(
  superRefine((c, ctx) => {
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
      const known = new Set(allHosts);
      const have = [...known].slice(0, 5).join(", ") + (known.size > 5 ? `, \u2026 (${known.size} in all)` : "");
      for (const entry of Object.keys(c.load_balancer.private_addresses))
        if (!known.has(entry))
          ctx.addIssue({
            code: "custom",
            path: ["load_balancer", "private_addresses", entry],
            message: `names no entry of hosts or stages.S.hosts (have: ${have})`
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
  })
);

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
  configSchema
};
