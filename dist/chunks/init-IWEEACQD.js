import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  defaultBranch
} from "./chunk-QN2RUU3G.js";
import {
  package_default
} from "./chunk-5B53GLNQ.js";
import {
  knownHostsLine,
  scanHostKey
} from "./chunk-R2XRKQFI.js";
import {
  checkHostKey,
  parseKnownHosts
} from "./chunk-FPYNHSIU.js";
import {
  parseHostTarget
} from "./chunk-5TLO4YYF.js";
import {
  parseConfig
} from "./chunk-UPLXK7JO.js";
import "./chunk-EYWUCGAO.js";
import "./chunk-VZYK7UIJ.js";
import {
  PROXY_DRIVERS
} from "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-B3EANRFM.js";
import {
  TinyforgeError,
  errorMessage
} from "./chunk-33CLMXR5.js";
import "./chunk-IXWQZFUI.js";

// src/cli/init.ts
import { homedir } from "node:os";
import { join as join3, resolve as resolve2 } from "node:path";
import { createInterface } from "node:readline/promises";

// src/app/init/index.ts
import { existsSync as existsSync3, mkdirSync as mkdirSync2, writeFileSync } from "node:fs";
import { dirname as dirname2, join as join2 } from "node:path";

// src/app/init/detect.ts
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
var COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
var STATIC_DIRS = ["public", "dist", "build", "_site", "site", "www", "out", "."];
function projectName(dirName) {
  const name = dirName.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
  return /^[a-z0-9]/.test(name) ? name : "app";
}
function exposedPort(dockerfile) {
  const text = dockerfile.replace(/\\\r?\n/g, " ");
  const stages = text.split(/^\s*FROM\s/im);
  const last = stages.at(-1) ?? "";
  for (const line of last.split(/\r?\n/)) {
    const m = /^\s*EXPOSE\s+(.*)$/i.exec(line);
    if (!m) continue;
    for (const word of m[1].split(/\s+/)) {
      const port = /^(\d{1,5})(?:\/(?:tcp|udp))?$/i.exec(word)?.[1];
      if (port && Number(port) >= 1 && Number(port) <= 65535) return Number(port);
    }
  }
  return void 0;
}
var isFile = (p) => existsSync(p) && statSync(p).isFile();
async function detect(dir) {
  const root = resolve(dir);
  const found = {
    project: projectName(basename(root)),
    branch: await defaultBranch(root),
    gitea: existsSync(join(root, ".gitea"))
  };
  const dockerfile = join(root, "Dockerfile");
  const compose = COMPOSE_FILES.find((f) => isFile(join(root, f)));
  const site = STATIC_DIRS.find((d) => isFile(join(root, d, "index.html")));
  if (isFile(dockerfile)) {
    found.source = "dockerfile";
    const port = exposedPort(readFileSync(dockerfile, "utf8"));
    if (port) found.port = port;
  } else if (compose) {
    found.source = "compose";
    found.composeFile = compose;
  } else if (site) {
    found.source = "static";
    found.staticDir = site;
  }
  return found;
}

// src/app/init/pin.ts
import { appendFileSync, existsSync as existsSync2, mkdirSync, readFileSync as readFileSync2 } from "node:fs";
import { dirname } from "node:path";
async function pinHostKey(hostEntry, opts) {
  const target = parseHostTarget(hostEntry);
  if (target.kind === "local") return { kind: "local" };
  let key;
  try {
    key = await scanHostKey(target.host, target.port, opts.timeoutMs);
  } catch (e) {
    return { kind: "unreachable", message: errorMessage(e) };
  }
  const line = knownHostsLine(target.host, target.port, key);
  const text = existsSync2(opts.file) ? readFileSync2(opts.file, "utf8") : "";
  const verdict = checkHostKey(
    parseKnownHosts(text),
    target.host,
    target.port,
    Buffer.from(key.key, "base64")
  );
  if (verdict === "match") return { kind: "pinned-before", key, line, file: opts.file };
  if (verdict !== "unknown")
    throw new TinyforgeError(
      "host_key_changed",
      `${opts.file} pins another key for ${target.host}:${target.port}; the host presents ${key.keyType} ${key.fingerprint} (${verdict})`,
      {
        hint: "if the host was rebuilt, verify its new key out of band and replace its line in that file; otherwise do not deploy to it"
      }
    );
  if (!opts.confirm) return { kind: "not-pinned", key, line, why: "no terminal" };
  if (!await opts.confirm(key, `${target.host}:${target.port}`))
    return { kind: "not-pinned", key, line, why: "declined" };
  mkdirSync(dirname(opts.file), { recursive: true, mode: 448 });
  const sep = text && !text.endsWith("\n") ? "\n" : "";
  appendFileSync(opts.file, `${sep}${line}
`, { mode: 384 });
  return { kind: "pinned", key, line, file: opts.file };
}

// src/app/init/render.ts
var ACTION_REF = `tinyforge/tinyforge@v${package_default.version}`;
var q = (s) => JSON.stringify(s);
var gh = (e) => `\${{ ${e} }}`;
var PROXY_LINES = {
  caddy: "proxy: { driver: caddy }             # routes go to Caddy's admin API (127.0.0.1:2019 on the host)",
  nginx: "proxy: { driver: nginx }             # one server block per route in /etc/nginx/conf.d/tinyforge, then nginx -t and reload",
  npm: "proxy: { driver: npm }               # Nginx Proxy Manager's API (127.0.0.1:81); TINYFORGE_PROXY_USER/PASSWORD from the environment",
  none: "proxy: { driver: none }              # no proxy: each container publishes its port on the host"
};
function workloadLines(a) {
  switch (a.source) {
    case "dockerfile":
      return [
        "    source: dockerfile               # built on the host from ./Dockerfile",
        `    port: ${a.port ?? 8080}`.padEnd(37) + (a.port ? "# from the Dockerfile's EXPOSE" : "# the port the app listens on (no EXPOSE found: check it)")
      ];
    case "compose":
      return [
        "    source: compose                  # the stack is uploaded and started with docker compose up -d",
        `    compose_file: ${q(a.composeFile ?? "docker-compose.yml")}`,
        "    # service: web                   # the service that serves HTTP, when the stack runs several"
      ];
    case "static":
      return [
        "    source: static                   # the files are served by busybox httpd in an image built on the host",
        `    context: ${q(a.staticDir ?? ".")}`,
        `    port: ${a.port ?? 8080}`
      ];
  }
}
function renderConfig(a) {
  const healthHint = a.source === "compose" ? [] : ["    # healthcheck: { path: /healthz }   # gate each new version on an HTTP check before it serves"];
  return [
    "# tinyforge.yml, written by `tinyforge init`. Every key, its default and its meaning:",
    "# schema/tinyforge.schema.json in tinyforge's package. Check it: `tinyforge validate`;",
    "# check the host: `tinyforge doctor`. Secrets (SSH key, pinned host keys, tokens) never go",
    "# here: they come from the environment (TINYFORGE_SSH_KEY, TINYFORGE_KNOWN_HOSTS, \u2026).",
    "# Containers, routes and state on the host are named after the project.",
    `project: ${q(a.project)}`,
    "# Where it runs: ssh://USER@HOST[:PORT] (that user may use Docker), or local.",
    `hosts: [${q(a.host)}]`,
    PROXY_LINES[a.proxy],
    ...a.domain ? [
      "# Routes are stage-STAGE-PROJECT.DOMAIN: point a wildcard DNS record at the host.",
      `domain: ${q(a.domain)}`
    ] : [],
    "stages:",
    `${`  production: { branch: ${q(a.branch)} }`.padEnd(37)}# a push to this branch deploys production`,
    "  preview: { pull_requests: true, max_instances: 3 }   # each pull request gets a preview, tagged pr-N",
    "workloads:",
    "  web:",
    ...workloadLines(a),
    ...healthHint,
    ""
  ].join("\n");
}
function workflowPath(forge) {
  return forge === "gitea" ? ".gitea/workflows/deploy.yml" : ".github/workflows/deploy.yml";
}
function renderWorkflow(forge, branch) {
  const head = [
    "# Deploys with tinyforge on every push to a stage's branch and every pull request (a preview,",
    "# removed when the pull request closes). Repository secrets it reads: DEPLOY_SSH_KEY (the",
    "# private key whose public half is in the host user's authorized_keys) and DEPLOY_KNOWN_HOSTS",
    "# (the host's pinned key: the line `tinyforge init` printed, or `ssh-keyscan`, checked).",
    "on:",
    `  push: { branches: [${q(branch)}] }`,
    "  pull_request: { types: [opened, synchronize, reopened, closed] }"
  ];
  const with_ = [
    "        with:",
    `          ssh-key: ${gh("secrets.DEPLOY_SSH_KEY")}`,
    `          known-hosts: ${gh("secrets.DEPLOY_KNOWN_HOSTS")}`
  ];
  if (forge === "gitea")
    return `${[
      ...head,
      "jobs:",
      "  deploy:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/checkout@v4",
      `      - uses: https://github.com/${ACTION_REF}   # the runner needs node >= 20.18`,
      ...with_
    ].join("\n")}
`;
  return `${[
    ...head,
    "permissions: { contents: read, statuses: write, deployments: write }",
    "jobs:",
    "  deploy:",
    "    # Fork pull requests get no secrets: skip them rather than fail.",
    "    if: github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository",
    "    runs-on: ubuntu-latest",
    `    concurrency: deploy-${gh("github.ref")}`,
    "    steps:",
    "      - uses: actions/checkout@v4",
    "      - id: deploy",
    `        uses: ${ACTION_REF}`,
    ...with_,
    `      - run: echo "${gh("steps.deploy.outputs.outcome")} at ${gh("steps.deploy.outputs.url")}"`
  ].join("\n")}
`;
}

// src/app/init/index.ts
async function init(dir, flags, prompter) {
  const detected = await detect(dir);
  const answers = await decide(detected, flags, flags.yes ? void 0 : prompter);
  const files = {
    "tinyforge.yml": renderConfig(answers),
    [workflowPath(answers.forge)]: renderWorkflow(answers.forge, answers.branch)
  };
  refuseOverwrite(dir, Object.keys(files), flags.force);
  parseConfig(files["tinyforge.yml"], "tinyforge.yml (generated)");
  const pin = await pinHostKey(answers.host, {
    file: flags.knownHosts,
    ...prompter ? { confirm: (key, name) => prompter.confirm(fingerprintQuestion(key, name)) } : {}
  });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync2(dirname2(join2(dir, path)), { recursive: true });
    writeFileSync(join2(dir, path), text);
  }
  return { detected, answers, written: Object.keys(files), pin };
}
function fingerprintQuestion(key, name) {
  return `${name} presents host key ${key.keyType} ${key.fingerprint}.
Compare it with the host's own (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on its console). Pin it?`;
}
function refuseOverwrite(dir, paths, force) {
  const existing = paths.filter((p) => existsSync3(join2(dir, p)));
  if (existing.length > 0 && !force)
    throw new TinyforgeError("usage", `init would replace ${existing.join(" and ")}; nothing written`, {
      hint: "keep them, or pass --force to replace them"
    });
}
function oneOf(what, value, allowed) {
  if (allowed.includes(value)) return value;
  throw new TinyforgeError(
    "usage",
    `${what}: must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`
  );
}
async function decide(d, flags, prompter) {
  const ask = async (question, fallback) => prompter ? (await prompter.ask(question, fallback)).trim() || fallback : fallback;
  const host = flags.host ?? await ask("Docker host (ssh://USER@HOST[:PORT], or local)", "local");
  parseHostTarget(host);
  const domain = flags.domain ?? await ask("Domain for routes (empty: none, ports are published)", "");
  const proxy = oneOf(
    "--proxy",
    flags.proxy ?? await ask(`Reverse proxy on the host (${PROXY_DRIVERS.join(", ")})`, domain ? "caddy" : "none"),
    PROXY_DRIVERS
  );
  if (proxy !== "none" && !domain)
    throw new TinyforgeError("usage", `--proxy ${proxy} needs a --domain: routes are named HOST.DOMAIN`);
  const forge = oneOf("--forge", flags.forge ?? (d.gitea ? "gitea" : "github"), [
    "github",
    "gitea"
  ]);
  if (!d.source)
    throw new TinyforgeError("usage", "found no Dockerfile, compose file or static site (index.html) here", {
      hint: "run tinyforge init in the app's checkout, next to its Dockerfile"
    });
  let port = flags.port ?? d.port;
  if (d.source === "dockerfile" && port === void 0) {
    const given = await ask("Port the app listens on (no EXPOSE in the Dockerfile)", "8080");
    port = Number(given);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new TinyforgeError("usage", `port: must be 1-65535 (got ${JSON.stringify(given)})`);
  }
  return {
    project: d.project,
    host,
    proxy,
    ...domain ? { domain } : {},
    branch: d.branch ?? "main",
    source: d.source,
    ...port !== void 0 ? { port } : {},
    ...d.composeFile ? { composeFile: d.composeFile } : {},
    ...d.staticDir ? { staticDir: d.staticDir } : {},
    forge
  };
}

// src/cli/init.ts
function registerInit(program, ctx) {
  program.command("init").description("write tinyforge.yml and a deploy workflow for the app in this directory").argument("[dir]", "the app's checkout", ".").option("--host <url>", "Docker host: ssh://USER@HOST[:PORT] or local").option("--domain <domain>", "routes are stage-STAGE-PROJECT.DOMAIN").option("--proxy <driver>", "caddy | nginx | npm | none").option("--port <port>", "port the app listens on (default: the Dockerfile's EXPOSE)").option("--forge <kind>", "github | gitea (default gitea when .gitea/ exists)").option(
    "--known-hosts <file>",
    "known_hosts file with the host's pinned key (default ~/.ssh/known_hosts)"
  ).option("-y, --yes", "take the detected or default answer to every question (never trusts a host key)").option("--force", "replace existing tinyforge.yml and workflow").action(async (dir, opts) => {
    const defaultKnownHosts = join3(ctx.env.HOME || homedir(), ".ssh", "known_hosts");
    const flags = {
      ...opts.host !== void 0 ? { host: opts.host } : {},
      ...opts.domain !== void 0 ? { domain: opts.domain } : {},
      ...opts.proxy !== void 0 ? { proxy: opts.proxy } : {},
      ...opts.port !== void 0 ? { port: Number(opts.port) } : {},
      ...opts.forge !== void 0 ? { forge: opts.forge } : {},
      yes: opts.yes === true,
      force: opts.force === true,
      knownHosts: opts.knownHosts ?? defaultKnownHosts
    };
    const terminal = ctx.prompter ? { prompter: ctx.prompter, close: () => void 0 } : process.stdin.isTTY && ctx.isTTY ? readlinePrompter() : void 0;
    try {
      const result = await init(resolve2(dir), flags, terminal?.prompter);
      ctx.io.out(render({ ...result, defaultKnownHosts }));
    } finally {
      terminal?.close();
    }
  });
}
function readlinePrompter() {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return {
    prompter: {
      ask: (question, fallback) => rl.question(`${question}${fallback ? ` [${fallback}]` : ""}: `),
      confirm: async (question) => /^y(es)?$/i.test((await rl.question(`${question} [y/N]: `)).trim())
    },
    close: () => rl.close()
  };
}
function knownHostsEnv(r) {
  const p = r.pin;
  if (p.kind !== "pinned" && p.kind !== "pinned-before" || p.file === r.defaultKnownHosts) return "";
  return ` and TINYFORGE_KNOWN_HOSTS_FILE=${p.file}`;
}
function render(r) {
  const lines = r.written.map((p) => `wrote ${p}`);
  const pin = r.pin;
  if (pin.kind === "pinned") lines.push(`pinned ${pin.key.keyType} ${pin.key.fingerprint} in ${pin.file}`);
  if (pin.kind === "pinned-before")
    lines.push(`host key ${pin.key.keyType} ${pin.key.fingerprint}: already pinned in ${pin.file}`);
  if (pin.kind === "not-pinned")
    lines.push(
      `NOT pinned (${pin.why}): the host presents ${pin.key.keyType} ${pin.key.fingerprint}.`,
      "  Check it on the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then run init again at a terminal,",
      "  or put this line in the file you pass with --known-hosts:",
      `  ${pin.line}`
    );
  if (pin.kind === "unreachable")
    lines.push(`could not read the host key yet (${pin.message}); run init again once sshd answers`);
  lines.push("", "Next:");
  if (pin.kind === "pinned" || pin.kind === "pinned-before")
    lines.push(`  - repository secret DEPLOY_KNOWN_HOSTS: ${pin.line}`);
  if (pin.kind !== "local")
    lines.push(
      "  - repository secret DEPLOY_SSH_KEY: the private key whose public half is in the host user's authorized_keys"
    );
  lines.push(
    `  - tinyforge validate && tinyforge doctor   (with TINYFORGE_SSH_KEY_FILE set${knownHostsEnv(r)})`,
    `  - commit both files and push to ${r.answers.branch}`
  );
  return `${lines.join("\n")}
`;
}
export {
  registerInit
};
