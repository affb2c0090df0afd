// What the first push after a start would otherwise pay for on its way to the pending status,
// done while the bot starts: the push's own way from config text to a prepared deploy (YAML's,
// zod's and the trust boundary's first, slow pass: tens of milliseconds), each configured GitHub
// repo's installation token (two round trips to GitHub) and the status client for it, and the
// first request through each HTTP client. Nothing here decides anything: a push still reads its
// config at its SHA and validates it; a token not minted now is minted by the push that needs it.
import { githubClient } from "../src/adapters/forge/github.js";
import type { HostPool } from "../src/adapters/ssh-pool.js";
import { noCredentials } from "../src/app/credentials.js";
import { credentialsFromEnv } from "../src/app/env.js";
import { errorMessage } from "../src/errors.js";
import { DEFAULT_TIMEOUT_MS, safeFetch } from "../src/net/fetch.js";
import type { BotConfig } from "./config.js";
import type { Logger } from "./forge/types.js";
import type { Installations } from "./github/installations.js";
import type { BotRunner } from "./runner.js";

/** A small config that takes the pushed config's way through the parser and the validator. */
const SAMPLE = `project: warm-up
stages:
  production:
    branch: main
workloads:
  web:
    source: image
    image: registry.example/web:1
    port: 8080
    healthcheck:
      path: /healthz
`;

/**
 * Prepares a push of the sample to the first project's `main`, as a push's would be prepared
 * (BotRunner.prepare: configText with the operator's settings, openSession and the validator,
 * the stage, admit), with the config text handed in and no forge credentials: nothing is read
 * from the forge, nothing written, nothing queued or sent, and the result is thrown away. Before
 * the bot listens, so no webhook waits behind it. (A parse and validation alone left the session,
 * the grants and admit, and the validator's paths the sample's keys take, to the first pushes:
 * they ran them all at once, each waiting for the others.)
 */
export async function warmPushPath(config: BotConfig, runner: BotRunner): Promise<void> {
  const name = Object.keys(config.projects)[0];
  if (!name) return;
  try {
    const prepared = await runner.prepare({
      project: name,
      sha: "0".repeat(40),
      ref: "main",
      kind: "deploy",
      trigger: "warm-up",
      forge: noCredentials.forge,
      // The sample names the project it is read for, as a repo's config must.
      configText: Promise.resolve(SAMPLE.replace("warm-up", name)),
    });
    prepared?.cleanup();
  } catch {
    // A sample the operator's settings refuse warms less, and changes nothing.
  }
}

/**
 * Mints each configured GitHub repo's installation token and builds its status client, in the
 * background; a push arriving meanwhile shares the mint (Installations.token). Resolves when all
 * are done; what failed is logged, once per repo, and left to the first push to try again.
 */
export async function warmInstallations(
  config: BotConfig,
  installations: Installations,
  api: string,
  log: Logger,
): Promise<void> {
  const repos = new Map<string, string>();
  for (const p of Object.values(config.projects))
    if (p.forge === "github" && !repos.has(p.repo.toLowerCase())) repos.set(p.repo.toLowerCase(), p.repo);
  await Promise.all(
    [...repos.values()].map(async (repo) => {
      try {
        await githubClient(api, await installations.token(repo), DEFAULT_TIMEOUT_MS);
      } catch (e) {
        log.warn(
          `github ${repo}: no installation token at start (${errorMessage(e)}); is the app installed on it? The first push asks again`,
        );
      }
    }),
  );
}

/**
 * Requests to the bot's own GET /healthz once it listens, through each HTTP client a push uses on
 * its way to its pending status: Node's fetch (bot/github/direct-read.ts: the config and the
 * branch head), the forge calls' client (src/net/fetch.ts: the address guard, the kept-alive
 * connection, the answer as a fetch Response), and Octokit over it, as the pending status is sent
 * (src/adapters/forge/github.ts: its endpoint, header and answer handling, cold on its first
 * request). Node loads and compiles each on first use (tens of ms each on a small machine), which
 * the first pushes after a start would otherwise pay for. The answers (503 while the bot starts)
 * are thrown away; a failure changes nothing. The Octokit holds no token of the bot's.
 */
export async function warmOutbound(url: string): Promise<void> {
  const health = `${url}/healthz`;
  const quietly = (p: Promise<unknown>) => p.catch(() => undefined);
  await Promise.all([
    quietly(fetch(health, { signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS) }).then((r) => r.json())),
    quietly(safeFetch(health, { timeoutMs: DEFAULT_TIMEOUT_MS }).then((r) => r.json())),
    quietly(githubClient(url, "warm-up", DEFAULT_TIMEOUT_MS).then((o) => o.request("GET /healthz"))),
  ]);
}

/**
 * Opens the SSH connection to each host the bot config names (the `hosts:` of every project) into
 * the bot's pool, as a deploy would (the key and known hosts of its environment; then a Docker
 * ping through it), and hands it back. The first deploys then neither do the handshake nor run
 * SSH's and the Docker client's code for the first time while the other pushes of the moment wait
 * for the event loop on their way to their pending status. The pool closes a connection unused for
 * a minute; a host that does not answer now is an info line, and the first deploy to it connects
 * (and reports) as it always did.
 */
export async function warmHosts(
  config: BotConfig,
  pool: HostPool,
  env: Record<string, string | undefined>,
  log: Logger,
): Promise<void> {
  const { sshKey, knownHosts } = credentialsFromEnv(env);
  const entries = new Set(Object.values(config.projects).flatMap((p) => p.hosts));
  await Promise.all(
    [...entries].map(async (entry) => {
      try {
        const host = await pool.acquire(entry, { sshKey, knownHosts });
        await host.close();
      } catch (e) {
        log.info(`${entry}: not connected at start (${errorMessage(e)}); the first deploy connects`);
      }
    }),
  );
}
