// The two files `init` writes, as text with comments a newcomer can read top to bottom: the
// config (every value JSON-quoted where it is user input, so it stays valid YAML) and the workflow
// that runs this repository's action on push and pull request.
import pkg from "../../../package.json" with { type: "json" };
import type { InitSource } from "./detect.js";

export type ProxyDriver = "caddy" | "nginx" | "npm" | "none";
export type ForgeKind = "github" | "gitea";

export interface InitAnswers {
  project: string;
  host: string;
  proxy: ProxyDriver;
  domain?: string;
  branch: string;
  source: InitSource;
  port?: number;
  composeFile?: string;
  staticDir?: string;
  forge: ForgeKind;
}

/** The action as a workflow names it: a release tag, never a moving branch. */
export const ACTION_REF = `tinyforge/tinyforge@v${pkg.version}`;

const q = (s: string) => JSON.stringify(s);
/** A workflow expression, `${{ … }}`: evaluated by the runner, not by us. */
const gh = (e: string) => `\${{ ${e} }}`;

const PROXY_LINES: Record<ProxyDriver, string> = {
  caddy: "proxy: { driver: caddy }             # routes go to Caddy's admin API (127.0.0.1:2019 on the host)",
  nginx:
    "proxy: { driver: nginx }             # one server block per route in /etc/nginx/conf.d/tinyforge, then nginx -t and reload",
  npm: "proxy: { driver: npm }               # Nginx Proxy Manager's API (127.0.0.1:81); TINYFORGE_PROXY_USER/PASSWORD from the environment",
  none: "proxy: { driver: none }              # no proxy: each container publishes its port on the host",
};

function workloadLines(a: InitAnswers): string[] {
  switch (a.source) {
    case "dockerfile":
      return [
        "    source: dockerfile               # built on the host from ./Dockerfile",
        `    port: ${a.port ?? 8080}`.padEnd(37) +
          (a.port
            ? "# from the Dockerfile's EXPOSE"
            : "# the port the app listens on (no EXPOSE found: check it)"),
      ];
    case "compose":
      return [
        "    source: compose                  # the stack is uploaded and started with docker compose up -d",
        `    compose_file: ${q(a.composeFile ?? "docker-compose.yml")}`,
        "    # service: web                   # the service that serves HTTP, when the stack runs several",
      ];
    case "static":
      return [
        "    source: static                   # the files are served by busybox httpd in an image built on the host",
        `    context: ${q(a.staticDir ?? ".")}`,
        `    port: ${a.port ?? 8080}`,
      ];
  }
}

export function renderConfig(a: InitAnswers): string {
  const healthHint =
    a.source === "compose"
      ? []
      : ["    # healthcheck: { path: /healthz }   # gate each new version on an HTTP check before it serves"];
  return [
    "# tinyforge.yml, written by `tinyforge init`. Every key, its default and its meaning:",
    "# schema/tinyforge.schema.json in tinyforge's package. Check it: `tinyforge validate`;",
    "# check the host: `tinyforge doctor`. Secrets (SSH key, pinned host keys, tokens) never go",
    "# here: they come from the environment (TINYFORGE_SSH_KEY, TINYFORGE_KNOWN_HOSTS, …).",
    "# Containers, routes and state on the host are named after the project.",
    `project: ${q(a.project)}`,
    "# Where it runs: ssh://USER@HOST[:PORT] (that user may use Docker), or local.",
    `hosts: [${q(a.host)}]`,
    PROXY_LINES[a.proxy],
    ...(a.domain
      ? [
          "# Routes are stage-STAGE-PROJECT.DOMAIN: point a wildcard DNS record at the host.",
          `domain: ${q(a.domain)}`,
        ]
      : []),
    "stages:",
    `${`  production: { branch: ${q(a.branch)} }`.padEnd(37)}# a push to this branch deploys production`,
    "  preview: { pull_requests: true, max_instances: 3 }   # each pull request gets a preview, tagged pr-N",
    "workloads:",
    "  web:",
    ...workloadLines(a),
    ...healthHint,
    "",
  ].join("\n");
}

export function workflowPath(forge: ForgeKind): string {
  return forge === "gitea" ? ".gitea/workflows/deploy.yml" : ".github/workflows/deploy.yml";
}

export function renderWorkflow(forge: ForgeKind, branch: string): string {
  const head = [
    "# Deploys with tinyforge on every push to a stage's branch and every pull request (a preview,",
    "# removed when the pull request closes). Repository secrets it reads: DEPLOY_SSH_KEY (the",
    "# private key whose public half is in the host user's authorized_keys) and DEPLOY_KNOWN_HOSTS",
    "# (the host's pinned key: the line `tinyforge init` printed, or `ssh-keyscan`, checked).",
    "on:",
    `  push: { branches: [${q(branch)}] }`,
    "  pull_request: { types: [opened, synchronize, reopened, closed] }",
  ];
  const with_ = [
    "        with:",
    `          ssh-key: ${gh("secrets.DEPLOY_SSH_KEY")}`,
    `          known-hosts: ${gh("secrets.DEPLOY_KNOWN_HOSTS")}`,
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
      ...with_,
    ].join("\n")}\n`;
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
    `      - run: echo "${gh("steps.deploy.outputs.outcome")} at ${gh("steps.deploy.outputs.url")}"`,
  ].join("\n")}\n`;
}
