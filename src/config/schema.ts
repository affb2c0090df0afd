// The tinyforge.yml contract. Every object is strict (a typo is an error, not a silent default)
// and every field is described: the JSON Schema for editors and the README's reference are
// generated from this file, so it is the one place the config is documented.
import { isIP } from "node:net";
import { z } from "zod";
import { accessorySchema } from "./accessory.js";
import { bakeSchema } from "./bake.js";
import { MAX_DURATION_MS, parseDuration } from "./duration.js";
import { SSH_URL } from "./host-url.js";
import { httpPath } from "./http-path.js";
import { bakeHostsProblem, PROXY_DRIVERS, parseMemory, SOURCES, STRATEGIES } from "./values.js";

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const dnsName = z.string().regex(DNS_LABEL, {
  error: (iss) =>
    `must be DNS-safe: lowercase letters, digits and "-", 1-63 characters, not starting or ending with "-" (got ${JSON.stringify(iss.input)})`,
});

export const duration = z
  .string({
    error: (iss) =>
      `must be a duration string like "5s" or "500ms" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`,
  })
  .describe('A duration: "500ms", "5s", "2m", "1m30s"; at most 24h.')
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `must be a duration like "500ms", "5s" or "2m" (got ${JSON.stringify(text)})`,
      });
      return z.NEVER;
    }
    if (ms > MAX_DURATION_MS) {
      ctx.addIssue({ code: "custom", message: `must be at most 24h (got ${JSON.stringify(text)})` });
      return z.NEVER;
    }
    return ms;
  });

export const hostUrl = z
  .string()
  .refine((h) => h === "local" || SSH_URL.test(h), {
    error: (iss) =>
      `must be "local", "ssh://USER@HOST[:PORT][?socket=/PATH]" or "swarm+ssh://USER@MANAGER[:PORT]" (got ${JSON.stringify(iss.input)})`,
  })
  .refine(
    (h) => {
      const port = SSH_URL.exec(h)?.[3];
      return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
    },
    { error: (iss) => `must have an SSH port from 1 to 65535 (got ${JSON.stringify(iss.input)})` },
  );

const healthcheck = z
  .strictObject({
    path: httpPath().describe("HTTP path probed on the container's port."),
    retries: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(3)
      .describe("The gate probes for retries × interval before it fails."),
    interval: duration
      .default(5000)
      .describe("Longest pause between probes (they start at once and back off from 50 ms)."),
    timeout: duration.default(10_000).describe("Time allowed for one attempt."),
    expect_status: z
      .number()
      .int()
      .min(100)
      .max(599)
      .optional()
      .describe("Status that counts as healthy; default any 2xx or 3xx."),
  })
  .describe("HTTP readiness probe that gates every new container.");

// --- Real apps: per-instance routes, per-stage env, a release step, resources ---
// (kept together so each key's contract reads in one place)

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export const fullHostname = z.string().regex(HOSTNAME, {
  error: (iss) => `must be a lowercase DNS name like "shop.example.com" (got ${JSON.stringify(iss.input)})`,
});

const domains = z
  .record(dnsName, z.array(fullHostname).min(1))
  .optional()
  .describe(
    "Full hostnames of each stage's untagged instance, by stage: the first is its URL, all route to the same container. Tagged instances keep tag_hostname_pattern.",
  );

export const envMap = z
  .record(z.string().regex(ENV_NAME, { error: "must be an environment variable name" }), z.string())
  .default({});

const release = z
  .strictObject({
    command: z
      .array(z.string())
      .min(1)
      .describe("argv run in a one-off container of the new image (no shell), e.g. [bin/migrate]."),
    timeout: duration
      .default(600_000)
      .describe("The release fails (and the deploy with it) after this long."),
  })
  .optional()
  .describe(
    "Runs once per deploy, after the image is ready and before the new container starts, with the instance's env, secrets, network and volumes; a non-zero exit fails the deploy and the old version keeps serving.",
  );

/** A memory size of at least Docker's 6m: "512m", "1g". */
export const memorySize = z.string().refine((t) => (parseMemory(t) ?? 0) >= 6 * 1024 ** 2, {
  error: (iss) => `must be a size of at least 6m like "512m" or "1g" (got ${JSON.stringify(iss.input)})`,
});

const resources = z
  .strictObject({
    memory: memorySize
      .optional()
      .describe('Memory limit of each container: "512m", "1g" (Docker\'s minimum is 6m).'),
    cpus: z
      .number()
      .gt(0, { error: "must be greater than 0" })
      .max(1024)
      .optional()
      .describe("CPU limit of each container, in cores: 0.5, 1.5."),
  })
  .optional()
  .describe("Limits of each container of the workload (the release step's too).");

const workload = z
  .strictObject({
    source: z.enum(SOURCES).describe("Where the workload's image comes from."),
    image: z
      .string()
      .min(1)
      .optional()
      .describe("For source image: the reference to pull; {sha} {ref} {tag} {stage} are expanded."),
    pull: z
      .enum(["always", "missing"])
      .default("always")
      .describe(
        'For source image: "always" asks the registry each deploy; "missing" uses a local copy when there is one.',
      ),
    dockerfile: z.string().default("Dockerfile").describe("For source dockerfile: path inside the context."),
    context: z.string().default(".").describe("Build context, relative to the config file's directory."),
    build_args: z.record(z.string(), z.string()).default({}).describe("Docker build arguments."),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe("Port the app listens on inside the container."),
    command: z.array(z.string()).optional().describe("Overrides the image's command (argv, no shell)."),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe("On a swarm+ssh:// host: tasks of the workload's Swarm service (default 1)."),
    deploy_strategy: z
      .enum(STRATEGIES)
      .default("")
      .describe('"" picks the source\'s default: image -> blue-green, others -> recreate.'),
    healthcheck: healthcheck.optional(),
    liveness_window: duration
      .default(5000)
      .describe("With no healthcheck: how long the container must stay running without restarting."),
    drain: duration.default(2000).describe("Grace after the swap before the old container is stopped."),
    stop_timeout: duration
      .default(10_000)
      .describe("Time the old container gets to stop before it is killed."),
    max_instances: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Tags of one stage kept side by side; oldest evicted."),
    keep_releases: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe("Releases whose images are kept for rollback."),
    report_commit_status: z.boolean().default(true).describe("Send commit statuses for this workload."),
    env: z
      .record(
        z.string().regex(ENV_NAME, {
          error: (iss) =>
            `must be an environment variable name: letters, digits and "_", not starting with a digit (got ${JSON.stringify(iss.input)})`,
        }),
        z.string(),
      )
      .default({})
      .describe(
        "Plain environment variables for the container; keys are variable names (A-Z a-z 0-9 _); values may use {project} {workload} {stage} {tag} {sha} {url}.",
      ),
    secrets: z
      .array(z.string().regex(ENV_NAME, { error: "must be an environment variable name" }))
      .default([])
      .describe(
        "Names of environment variables read from the deploying process and passed to the container.",
      ),
    volumes: z
      .array(
        z.string().regex(/^[^:\s]+:\/[^:\s]*(?::(?:ro|rw))?$/, {
          error: (iss) => `must be "NAME_OR_PATH:/container/path[:ro]" (got ${JSON.stringify(iss.input)})`,
        }),
      )
      .default([])
      .describe("Volumes or bind mounts."),
    network: z
      .string()
      .min(1)
      .optional()
      .describe("Docker network the container joins (and the proxy forwards over)."),
    mode: z.enum(["httpd", "deno"]).optional().describe("For source static: how the site is served."),
    storage: z
      .boolean()
      .default(false)
      .describe("For source static in deno mode: mount a persistent volume."),
    base_image: z.string().optional().describe("For source static: the web server image."),
    compose_file: z.string().optional().describe("For source compose: the compose file."),
    service: z.string().optional().describe("For source compose: the service that serves HTTP."),
    // Real apps
    domains,
    release,
    resources,
    bake: bakeSchema,
  })
  .superRefine((w, ctx) => {
    const at = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (w.source === "image" && !w.image) at("image", 'is required when source is "image"');
    if (w.source !== "image" && w.image)
      at("image", `is only used when source is "image" (source is "${w.source}")`);
    if (w.source === "compose" && w.deploy_strategy === "blue-green") {
      at(
        "deploy_strategy",
        'must be "" or "recreate" for source compose: the stack manages its own containers (got "blue-green")',
      );
    }
    if ((w.source === "image" || w.source === "dockerfile") && w.port === undefined) {
      at("port", `is required when source is "${w.source}"`);
    }
    if (w.source === "compose" && w.release)
      at("release", "is not used for source compose (the stack runs its own services)");
    // Baking keeps the old release running beside the new one: only blue-green has both.
    if (
      w.bake &&
      (w.source === "compose" ||
        w.deploy_strategy === "recreate" ||
        (w.deploy_strategy === "" && w.source !== "image"))
    )
      at(
        "bake",
        `needs deploy_strategy "blue-green" (the old release must keep running during the bake; source "${w.source}", deploy_strategy "${w.deploy_strategy}")`,
      );
    if (w.source !== "static") {
      if (w.mode) at("mode", `is only used when source is "static" (source is "${w.source}")`);
      if (w.storage) at("storage", `is only used when source is "static" (source is "${w.source}")`);
    }
  });

// A commit status context or check run name, as forges show them: one line of printable text.
const checkName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]+$/u, {
    error: (iss) => `must be a status context or check name on one line (got ${JSON.stringify(iss.input)})`,
  });

// A preview's life without a push. Longer than other durations (days, not seconds), still bounded:
// a preview nobody pushes to for a month is forgotten, not kept.
const MAX_PREVIEW_TTL_MS = 720 * 3_600_000;
const previewTtl = z
  .string({
    error: (iss) => `must be a duration like "72h" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`,
  })
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms < 1000 || ms > MAX_PREVIEW_TTL_MS) {
      ctx.addIssue({
        code: "custom",
        message: `must be a duration from 1s to 720h (30 days), like "72h" (got ${JSON.stringify(text)})`,
      });
      return z.NEVER;
    }
    return ms;
  });

const stage = z
  .strictObject({
    branch: z.string().min(1).optional().describe("Pushes to this branch deploy this stage."),
    pull_requests: z
      .boolean()
      .default(false)
      .describe("Pull requests deploy previews to this stage, tagged pr-N."),
    max_instances: z.number().int().min(1).optional().describe("Tags kept side by side in this stage."),
    status_context: z.string().optional().describe('Commit status context; default "tinyforge".'),
    env: envMap.describe(
      "Environment of every workload of this stage; wins over workloads.X.env. Values may use {project} {workload} {stage} {tag} {sha} {url}.",
    ),
    hosts: z
      .array(hostUrl)
      .min(1)
      .optional()
      .describe(
        "This stage's Docker hosts, in place of the top-level hosts (one release across all of them).",
      ),
    wait_for_checks: z
      .union([z.boolean(), z.array(checkName).min(1).max(50)])
      .optional()
      .describe(
        "The bot deploys a commit to this stage only once its checks are green: true = every commit status and check run on it (tinyforge's own excepted), or the list of contexts / check names to wait for.",
      ),
    preview_label: z
      .string()
      .min(1)
      .max(50)
      .regex(/^[^\p{Cc}]+$/u, { error: "must be a label name on one line" })
      .optional()
      .describe(
        "With pull_requests: only pull requests carrying this label get a preview; adding it deploys, removing it tears the preview down.",
      ),
    preview_ttl: previewTtl
      .optional()
      .describe(
        'With pull_requests: a preview with no new deploy for this long is torn down (the bot\'s timer, each webhook, `tinyforge reconcile`). From 1s to 720h, e.g. "72h".',
      ),
  })
  .superRefine((s, ctx) => {
    if (s.pull_requests) return;
    for (const key of ["preview_label", "preview_ttl"] as const)
      if (s[key] !== undefined)
        ctx.addIssue({ code: "custom", path: [key], message: "is only used with pull_requests: true" });
  })
  .describe("A target environment.");

// The admin API is reached through the deploy's SSH connection, as a port on the host's loopback:
// an address elsewhere would silently reach whatever listens on that port of the host instead.
const adminUrl = z.url({ protocol: /^https?$/ }).refine(
  (u) => {
    const url = new URL(u);
    return url.protocol === "http:" && ["127.0.0.1", "localhost"].includes(url.hostname);
  },
  {
    error: (iss) =>
      `must be http://127.0.0.1:PORT (or localhost): the admin API is reached through the SSH connection, on the host's loopback (got ${JSON.stringify(iss.input)})`,
  },
);

// nginx `listen` parameters go into the server block verbatim: no ";", braces or quotes.
const nginxListen = z.string().regex(/^[A-Za-z0-9.:[\]* _=-]+$/, {
  error: (iss) =>
    `must be nginx listen parameters like "80" or "127.0.0.1:8080" (got ${JSON.stringify(iss.input)})`,
});

const PROXY_ONLY: Record<string, (typeof PROXY_DRIVERS)[number]> = {
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
  allow_websocket_upgrade: "npm",
};

export const proxySchema = z
  .strictObject({
    driver: z.enum(PROXY_DRIVERS).default("none"),
    admin: adminUrl
      .optional()
      .describe(
        "caddy, npm: admin API on the host's loopback, reached over SSH (default caddy http://127.0.0.1:2019, npm http://127.0.0.1:81).",
      ),
    server: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, { error: "must be a Caddy server name like srv0" })
      .optional()
      .describe("caddy: the server in apps.http.servers the routes go into (default srv0)."),
    caddyfile: z
      .string()
      .regex(/^\//, { error: "must be an absolute path on the host" })
      .optional()
      .describe(
        "caddy: the Caddyfile caddy is started or reloaded from, read on the host to tell whether a reload would drop tinyforge's routes (default /etc/caddy/Caddyfile).",
      ),
    config_dir: z
      .string()
      .min(1)
      .optional()
      .describe(
        "nginx: directory of server blocks tinyforge owns, one HOSTNAME.conf per route; include DIR/*.conf in the http block (default /etc/nginx/conf.d/tinyforge).",
      ),
    command: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'nginx: argv that runs nginx on the host; "-t" and "-s reload" are appended (default ["nginx"]; e.g. ["sudo","-n","nginx"] or ["docker","exec","web-proxy","nginx"]).',
      ),
    listen: nginxListen
      .optional()
      .describe('nginx: listen parameters of each server block (default "80", or "443 ssl" with tls).'),
    forward_scheme: z
      .enum(["http", "https"])
      .optional()
      .describe("npm: scheme NPM forwards with (default http)."),
    certificate_id: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("npm: id of the NPM certificate the hosts use (required with tls)."),
    ssl_forced: z
      .boolean()
      .optional()
      .describe("npm: redirect http to https (left as set in NPM when unset)."),
    http2_support: z.boolean().optional().describe("npm: HTTP/2 (left as set in NPM when unset)."),
    block_exploits: z
      .boolean()
      .optional()
      .describe("npm: block common exploits (left as set in NPM when unset)."),
    allow_websocket_upgrade: z
      .boolean()
      .optional()
      .describe("npm: allow websocket upgrades (new hosts default to true)."),
    tls: z.boolean().default(false).describe("Routes are served over https."),
  })
  .superRefine((p, ctx) => {
    for (const [key, only] of Object.entries(PROXY_ONLY)) {
      if ((p as Record<string, unknown>)[key] !== undefined && p.driver !== only) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `is only used when proxy.driver is "${only}" (driver is "${p.driver}")`,
        });
      }
    }
    if (p.admin !== undefined && p.driver !== "caddy" && p.driver !== "npm") {
      ctx.addIssue({
        code: "custom",
        path: ["admin"],
        message: `is only used when proxy.driver is "caddy" or "npm" (driver is "${p.driver}")`,
      });
    }
    if (p.driver === "npm" && p.tls && p.certificate_id === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["certificate_id"],
        message: 'is required when proxy.driver is "npm" and tls is true (the id of an NPM certificate)',
      });
    }
  })
  .describe("Reverse proxy the routes are written to.");

// Tokens are never here: GITHUB_TOKEN / GITEA_TOKEN / GITLAB_TOKEN, SLACK_BOT_TOKEN or
// SLACK_WEBHOOK_URL come from the environment (src/app/env.ts, src/app/reporters.ts).
const forge = z
  .strictObject({
    kind: z
      .enum(["github", "gitea", "gitlab"])
      .optional()
      .describe("Default: gitea under Gitea Actions, gitlab under GitLab CI, else github."),
    api: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        "API base, e.g. https://gitea.example.com/api/v1; default GITHUB_API_URL (GitHub and Gitea Actions), CI_API_V4_URL (GitLab CI), else https://api.github.com or https://gitlab.com/api/v4.",
      ),
    repo: z
      .string()
      .regex(/^[^/\s]+(?:\/[^/\s]+)+$/, {
        error: (iss) =>
          `must be "owner/name" (GitLab: "group/sub/project") (got ${JSON.stringify(iss.input)})`,
      })
      .optional()
      .describe("owner/name; default GITHUB_REPOSITORY (GitLab CI: CI_PROJECT_PATH)."),
  })
  .describe("Where commit statuses (and GitHub deployments) go; the token comes from the environment.");

const notify = z
  .strictObject({
    slack: z
      .strictObject({
        channel: z
          .string()
          .min(1)
          .describe("Channel ID (C0123…) or name the bot posts to; needs SLACK_BOT_TOKEN."),
      })
      .optional()
      .describe(
        "One Slack message per deploy, updated as it runs (SLACK_BOT_TOKEN); with only SLACK_WEBHOOK_URL, the result is posted at the end.",
      ),
    webhook: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("POST one JSON document here when a deploy ends (best-effort, 5 s timeout)."),
  })
  .describe("Where deploy results are told besides the commit.");

const ssh = z
  .strictObject({
    connect_timeout: duration
      .default(10_000)
      .describe(
        "TCP connect + SSH handshake + login must finish within this, or the host is unreachable (exit 4).",
      ),
    keepalive: duration
      .default(3_000)
      .describe(
        "A keepalive is sent after this much silence; three unanswered in a row (about 4× this) end the deploy with exit 4.",
      ),
  })
  .describe("How long tinyforge waits on a host's SSH connection.");

// Several hosts are one release: every green is gated before any route moves (all or nothing),
// `parallel` bounds how many hosts build and gate at once; `batch` trades that for rolling waves.
const rollout = z
  .strictObject({
    parallel: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Hosts that pull/build, start and gate at once; default: all of them."),
    batch: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "Rolling batches of this many hosts instead: each batch all or nothing, gated and swapped before the next starts; a failed batch stops the rollout (earlier batches keep the new release).",
      ),
  })
  .refine((r) => r.parallel === undefined || r.batch === undefined, {
    error: "takes parallel or batch, not both",
  })
  .describe("How a stage with several hosts rolls out.");
const swarm = z
  .strictObject({
    network: dnsName
      .optional()
      .describe("Overlay network the services and the proxy share (default tinyforge-PROJECT)."),
    endpoint_mode: z
      .enum(["dnsrr", "vip"])
      .default("dnsrr")
      .describe(
        "dnsrr: the proxy dials tasks.SERVICE (every task's address); vip: the service's virtual IP, which needs IPVS on the nodes.",
      ),
    monitor: duration
      .default(5000)
      .describe("After each task of an update starts, how long Swarm watches it before the update counts."),
  })
  .describe("swarm+ssh:// hosts: how services are reached and updated.");

// One proxy in front of every host of a stage: its route lists each host's serving container
// (PRIVATE_ADDRESS:PUBLISHED_PORT) and checks them itself, so a dead host drops out (src/app/balance.ts).
const ipv4 = z.string().refine((ip) => isIP(ip) === 4, {
  error: (iss) => `must be an IPv4 address like "10.0.0.5" (got ${JSON.stringify(iss.input)})`,
});
export const loadBalancerSchema = z
  .strictObject({
    host: hostUrl
      .refine((h) => !h.startsWith("swarm+"), {
        error: "must be a plain host (local or ssh://): a Swarm's proxy is the one in proxy:",
      })
      .describe('The host the load balancing proxy runs on: "local" or "ssh://USER@HOST[:PORT]".'),
    driver: z
      .enum(["caddy", "nginx"])
      .describe("The proxy on that host: caddy (admin API) or nginx (files + reload)."),
    admin: adminUrl
      .optional()
      .describe("caddy: admin API on the load balancer's loopback (default http://127.0.0.1:2019)."),
    server: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, { error: "must be a Caddy server name like srv0" })
      .optional()
      .describe("caddy: the server in apps.http.servers the route goes into (default srv0)."),
    config_dir: z
      .string()
      .min(1)
      .optional()
      .describe("nginx: directory of server blocks tinyforge owns (default /etc/nginx/conf.d/tinyforge)."),
    command: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('nginx: argv that runs nginx (default ["nginx"]).'),
    listen: nginxListen.optional().describe('nginx: listen parameters of the server block (default "80").'),
    tls: z.boolean().default(false).describe("The route is served over https."),
    private_addresses: z
      .record(z.string(), ipv4)
      .default({})
      .describe(
        "Per hosts: entry, the address its containers publish their port on and the load balancer dials (a private network); default: publish_ip, or the host's SSH address when publish_ip is 0.0.0.0.",
      ),
    health_interval: duration
      .default(2000)
      .describe(
        "How often the proxy asks each host's container its healthcheck path (or /); a host that fails drops out until it answers again.",
      ),
  })
  .superRefine((lb, ctx) => {
    for (const key of ["server", "admin"] as const)
      if (lb[key] !== undefined && lb.driver !== "caddy")
        ctx.addIssue({ code: "custom", path: [key], message: `is only used when driver is "caddy"` });
    for (const key of ["config_dir", "command", "listen"] as const)
      if (lb[key] !== undefined && lb.driver !== "nginx")
        ctx.addIssue({ code: "custom", path: [key], message: `is only used when driver is "nginx"` });
  })
  .describe("A proxy on its own host that spreads each route over every host of the stage.");

export const configSchema = z
  .strictObject({
    project: dnsName.describe("DNS-safe project name."),
    hosts: z
      .array(hostUrl)
      .min(1)
      .default(["local"])
      .describe(
        'Docker hosts: "local", "ssh://USER@HOST:PORT", or "swarm+ssh://USER@MANAGER:PORT" (a Swarm manager: each workload is a service); "?socket=/PATH" names a Docker socket other than /var/run/docker.sock.',
      ),
    swarm: swarm.default({ endpoint_mode: "dnsrr", monitor: 5000 }),
    ssh: ssh.default({ connect_timeout: 10_000, keepalive: 3_000 }),
    proxy: proxySchema.default({ driver: "none", tls: false }),
    domain: z
      .string()
      .regex(
        /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
        {
          error: (iss) =>
            `must be a lowercase DNS name like "example.com" (got ${JSON.stringify(iss.input)})`,
        },
      )
      .optional()
      .describe("Routes are HOSTNAME.DOMAIN."),
    hostname_pattern: z
      .string()
      .optional()
      .describe(
        'Route hostname of a stage\'s untagged instance; may use {project} {stage} {workload}. Default "stage-{stage}-{project}", or "stage-{stage}-{project}-{workload}" when more than one workload is routed.',
      ),
    tag_hostname_pattern: z
      .string()
      .optional()
      .describe(
        'Route hostname of a tagged instance (tags, PR previews); must use {tag}. Default "stage-{stage}-{project}-{tag}", or "stage-{stage}-{project}-{workload}-{tag}" when more than one workload is routed.',
      ),
    publish_ip: z
      .string()
      .refine((ip) => isIP(ip) !== 0, {
        // Docker publishes on every address when it cannot use this one: around the proxy.
        error: (iss) =>
          `must be an IP address like "127.0.0.1" or "0.0.0.0" (got ${JSON.stringify(iss.input)})`,
      })
      .default("127.0.0.1")
      .describe("IP address container ports are published on; 0.0.0.0 exposes them."),
    state_dir: z
      .string()
      .default(".tinyforge")
      .describe("Where deploy state lives on each host; relative paths are under the SSH user's home."),
    lock_timeout: duration
      .default(60_000)
      .describe("How long a deploy waits for another one on the same workload."),
    stages: z.record(dnsName, stage).describe("Target environments by name."),
    workloads: z.record(dnsName, workload).describe("What gets deployed, by name."),
    accessories: z
      .record(dnsName, accessorySchema)
      .default({})
      .describe("Long-lived services beside the workloads (a database, a cache), by name."),
    rollout: rollout.default({}),
    load_balancer: loadBalancerSchema.optional(),
    forge: forge.optional(),
    notify: notify.optional(),
  })
  .superRefine((c, ctx) => {
    if (Object.keys(c.stages).length === 0)
      ctx.addIssue({ code: "custom", path: ["stages"], message: "must name at least one stage" });
    if (Object.keys(c.workloads).length === 0) {
      ctx.addIssue({ code: "custom", path: ["workloads"], message: "must name at least one workload" });
    }
    for (const [name, w] of Object.entries(c.workloads)) {
      for (const stage of Object.keys(w.domains ?? {})) {
        if (!Object.hasOwn(c.stages, stage))
          ctx.addIssue({
            code: "custom",
            path: ["workloads", name, "domains", stage],
            message: `names no stage in stages (have: ${Object.keys(c.stages).join(", ")})`,
          });
      }
    }
    // A Swarm host runs each workload as one service: a compose stack is not one.
    const allHosts = [...c.hosts, ...Object.values(c.stages).flatMap((st) => st.hosts ?? [])];
    if (allHosts.some((h) => h.startsWith("swarm+"))) {
      for (const [name, w] of Object.entries(c.workloads)) {
        if (w.source === "compose")
          ctx.addIssue({
            code: "custom",
            path: ["workloads", name, "source"],
            message:
              'must not be "compose" with a swarm+ssh:// host: each workload runs as one Swarm service',
          });
      }
    }
    if (c.load_balancer) {
      for (const entry of Object.keys(c.load_balancer.private_addresses))
        if (!allHosts.includes(entry))
          ctx.addIssue({
            code: "custom",
            path: ["load_balancer", "private_addresses", entry],
            message: `names no entry of hosts or stages.S.hosts (have: ${[...new Set(allHosts)].join(", ")})`,
          });
      if (allHosts.some((h) => h.startsWith("swarm+")))
        ctx.addIssue({
          code: "custom",
          path: ["load_balancer"],
          message: "is for plain hosts: a Swarm spreads a service over its nodes itself",
        });
      if (!c.domain)
        ctx.addIssue({
          code: "custom",
          path: ["domain"],
          message: "is required with load_balancer (the route's hostname)",
        });
    }
    // A bake soaks and reverts one host's release; several hosts or a Swarm service are refused.
    for (const [name, w] of Object.entries(c.workloads)) {
      if (!w.bake) continue;
      const why = bakeHostsProblem(c.hosts, Object.values(c.stages));
      if (why) ctx.addIssue({ code: "custom", path: ["workloads", name, "bake"], message: why });
    }
    if (c.proxy.driver !== "none" && !c.domain) {
      ctx.addIssue({
        code: "custom",
        path: ["domain"],
        message: `is required when proxy.driver is "${c.proxy.driver}"`,
      });
    }
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type WorkloadConfig = Config["workloads"][string];
export type StageConfig = Config["stages"][string];
export type HealthcheckConfig = NonNullable<WorkloadConfig["healthcheck"]>;
export type Strategy = Exclude<(typeof STRATEGIES)[number], "">;
