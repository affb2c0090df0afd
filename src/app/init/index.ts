// `tinyforge init`: from what the checkout shows and what the person answers (or passed as
// flags), the config and the workflow, checked with the same validation a deploy uses before
// anything is written, and the host's key pinned only once someone has seen its fingerprint.
// An existing file is never replaced without --force.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ScannedKey } from "../../adapters/host-key.js";
import { parseHostTarget } from "../../adapters/ssh-target.js";
import { parseConfig } from "../../config/load.js";
import { PROXY_DRIVERS } from "../../config/values.js";
import { TinyforgeError } from "../../errors.js";
import { type Detected, detect } from "./detect.js";
import { type PinOutcome, pinHostKey } from "./pin.js";
import {
  type ForgeKind,
  type InitAnswers,
  type ProxyDriver,
  renderConfig,
  renderWorkflow,
  workflowPath,
} from "./render.js";

export interface InitFlags {
  host?: string;
  domain?: string;
  proxy?: string;
  port?: number;
  forge?: string;
  /** Take the detected or default value for every question not answered by a flag. */
  yes?: boolean;
  force?: boolean;
  /** known_hosts file holding (and receiving) the pins; default ~/.ssh/known_hosts. */
  knownHosts: string;
}

/** A person at a terminal; absent when there is none (CI, a pipe). */
export interface Prompter {
  ask(question: string, fallback: string): Promise<string>;
  confirm(question: string): Promise<boolean>;
}

export interface InitResult {
  detected: Detected;
  answers: InitAnswers;
  /** Paths written, relative to the checkout. */
  written: string[];
  pin: PinOutcome;
}

export async function init(dir: string, flags: InitFlags, prompter?: Prompter): Promise<InitResult> {
  const detected = await detect(dir);
  const answers = await decide(detected, flags, flags.yes ? undefined : prompter);
  const files = {
    "tinyforge.yml": renderConfig(answers),
    [workflowPath(answers.forge)]: renderWorkflow(answers.forge, answers.branch),
  };
  refuseOverwrite(dir, Object.keys(files), flags.force);
  // What init writes must be what `validate` accepts: checked before anything is written.
  parseConfig(files["tinyforge.yml"]!, "tinyforge.yml (generated)");
  const pin = await pinHostKey(answers.host, {
    file: flags.knownHosts,
    ...(prompter ? { confirm: (key, name) => prompter.confirm(fingerprintQuestion(key, name)) } : {}),
  });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { detected, answers, written: Object.keys(files), pin };
}

function fingerprintQuestion(key: ScannedKey, name: string): string {
  return `${name} presents host key ${key.keyType} ${key.fingerprint}.\nCompare it with the host's own (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on its console). Pin it?`;
}

function refuseOverwrite(dir: string, paths: string[], force?: boolean): void {
  const existing = paths.filter((p) => existsSync(join(dir, p)));
  if (existing.length > 0 && !force)
    throw new TinyforgeError("usage", `init would replace ${existing.join(" and ")}; nothing written`, {
      hint: "keep them, or pass --force to replace them",
    });
}

function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new TinyforgeError(
    "usage",
    `${what}: must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`,
  );
}

/** Each value from its flag, else the person's answer, else (with --yes) what was detected. */
async function decide(d: Detected, flags: InitFlags, prompter?: Prompter): Promise<InitAnswers> {
  const ask = async (question: string, fallback: string) =>
    prompter ? (await prompter.ask(question, fallback)).trim() || fallback : fallback;
  const host = flags.host ?? (await ask("Docker host (ssh://USER@HOST[:PORT], or local)", "local"));
  parseHostTarget(host);
  const domain = flags.domain ?? (await ask("Domain for routes (empty: none, ports are published)", ""));
  const proxy = oneOf<ProxyDriver>(
    "--proxy",
    flags.proxy ??
      (await ask(`Reverse proxy on the host (${PROXY_DRIVERS.join(", ")})`, domain ? "caddy" : "none")),
    PROXY_DRIVERS,
  );
  if (proxy !== "none" && !domain)
    throw new TinyforgeError("usage", `--proxy ${proxy} needs a --domain: routes are named HOST.DOMAIN`);
  const forge = oneOf<ForgeKind>("--forge", flags.forge ?? (d.gitea ? "gitea" : "github"), [
    "github",
    "gitea",
  ]);
  if (!d.source)
    throw new TinyforgeError("usage", "found no Dockerfile, compose file or static site (index.html) here", {
      hint: "run tinyforge init in the app's checkout, next to its Dockerfile",
    });
  let port = flags.port ?? d.port;
  if (d.source === "dockerfile" && port === undefined) {
    const given = await ask("Port the app listens on (no EXPOSE in the Dockerfile)", "8080");
    port = Number(given);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new TinyforgeError("usage", `port: must be 1-65535 (got ${JSON.stringify(given)})`);
  }
  return {
    project: d.project,
    host,
    proxy,
    ...(domain ? { domain } : {}),
    branch: d.branch ?? "main",
    source: d.source,
    ...(port !== undefined ? { port } : {}),
    ...(d.composeFile ? { composeFile: d.composeFile } : {}),
    ...(d.staticDir ? { staticDir: d.staticDir } : {}),
    forge,
  };
}
