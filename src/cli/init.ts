// `tinyforge init`: asks at a terminal (node:readline) what the checkout cannot tell, renders what
// src/app/init decided and wrote, and says what is left to do: the secrets and the first push.
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { type InitFlags, type InitResult, init, type Prompter } from "../app/init/index.js";
import type { CliContext } from "./main.js";

interface InitOptions {
  host?: string;
  domain?: string;
  proxy?: string;
  port?: string;
  forge?: string;
  yes?: boolean;
  force?: boolean;
  knownHosts?: string;
}

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command("init")
    .description("write tinyforge.yml and a deploy workflow for the app in this directory")
    .argument("[dir]", "the app's checkout", ".")
    .option("--host <url>", "Docker host: ssh://USER@HOST[:PORT] or local")
    .option("--domain <domain>", "routes are stage-STAGE-PROJECT.DOMAIN")
    .option("--proxy <driver>", "caddy | nginx | npm | none")
    .option("--port <port>", "port the app listens on (default: the Dockerfile's EXPOSE)")
    .option("--forge <kind>", "github | gitea (default gitea when .gitea/ exists)")
    .option(
      "--known-hosts <file>",
      "known_hosts file with the host's pinned key (default ~/.ssh/known_hosts)",
    )
    .option("-y, --yes", "take the detected or default answer to every question (never trusts a host key)")
    .option("--force", "replace existing tinyforge.yml and workflow")
    .action(async (dir: string, opts: InitOptions) => {
      const defaultKnownHosts = join(ctx.env.HOME || homedir(), ".ssh", "known_hosts");
      const flags: InitFlags = {
        ...(opts.host !== undefined ? { host: opts.host } : {}),
        ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
        ...(opts.proxy !== undefined ? { proxy: opts.proxy } : {}),
        ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
        ...(opts.forge !== undefined ? { forge: opts.forge } : {}),
        yes: opts.yes === true,
        force: opts.force === true,
        knownHosts: opts.knownHosts ?? defaultKnownHosts,
      };
      const terminal = ctx.prompter
        ? { prompter: ctx.prompter, close: () => undefined }
        : process.stdin.isTTY && ctx.isTTY
          ? readlinePrompter()
          : undefined;
      try {
        const result = await init(resolve(dir), flags, terminal?.prompter);
        ctx.io.out(render({ ...result, defaultKnownHosts }));
      } finally {
        terminal?.close();
      }
    });
}

function readlinePrompter(): { prompter: Prompter; close(): void } {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return {
    prompter: {
      ask: (question, fallback) => rl.question(`${question}${fallback ? ` [${fallback}]` : ""}: `),
      confirm: async (question) => /^y(es)?$/i.test((await rl.question(`${question} [y/N]: `)).trim()),
    },
    close: () => rl.close(),
  };
}

/** doctor and deploy read ~/.ssh/known_hosts by themselves; another file must be named. */
function knownHostsEnv(r: InitResult & { defaultKnownHosts: string }): string {
  const p = r.pin;
  if ((p.kind !== "pinned" && p.kind !== "pinned-before") || p.file === r.defaultKnownHosts) return "";
  return ` and TINYFORGE_KNOWN_HOSTS_FILE=${p.file}`;
}

function render(r: InitResult & { defaultKnownHosts: string }): string {
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
      `  ${pin.line}`,
    );
  if (pin.kind === "unreachable")
    lines.push(`could not read the host key yet (${pin.message}); run init again once sshd answers`);
  lines.push("", "Next:");
  if (pin.kind === "pinned" || pin.kind === "pinned-before")
    lines.push(`  - repository secret DEPLOY_KNOWN_HOSTS: ${pin.line}`);
  if (pin.kind !== "local")
    lines.push(
      "  - repository secret DEPLOY_SSH_KEY: the private key whose public half is in the host user's authorized_keys",
    );
  lines.push(
    `  - tinyforge validate && tinyforge doctor   (with TINYFORGE_SSH_KEY_FILE set${knownHostsEnv(r)})`,
    `  - commit both files and push to ${r.answers.branch}`,
  );
  return `${lines.join("\n")}\n`;
}
