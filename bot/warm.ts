// What the first push after a start would otherwise pay for on its way to the pending status,
// done while the bot starts: the first parse and validation of a repo config (YAML's and zod's
// first, slow pass: tens of milliseconds), each configured GitHub repo's installation token (two
// round trips to GitHub) and the status client for it. Nothing here decides anything: a push still
// reads its config at its SHA and validates it; a token not minted now is minted by the push that
// needs it.
import { githubClient } from "../src/adapters/forge/github.js";
import { configText } from "../src/app/boundary/index.js";
import { validateConfig } from "../src/config/load.js";
import { errorMessage } from "../src/errors.js";
import { DEFAULT_TIMEOUT_MS, safeFetch } from "../src/net/fetch.js";
import type { BotConfig } from "./config.js";
import type { Logger } from "./forge/types.js";
import type { Installations } from "./github/installations.js";

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
 * Runs a repo config's way through configText (YAML, the operator's settings) and validateConfig,
 * as a push's would go, on a sample: its result is thrown away. Synchronous, before the bot
 * listens, so no webhook waits behind it.
 */
export function warmConfigPath(config: BotConfig): void {
  const [name, project] = Object.entries(config.projects)[0] ?? [];
  if (!name || !project) return;
  try {
    // The sample names the project it is read for, as a repo's config must.
    const read = configText(SAMPLE.replace("warm-up", name), project, name);
    validateConfig(read.data, project.config_path);
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
 * Two requests to the bot's own GET /healthz once it listens, one through each HTTP client a push
 * uses on its way to its pending status: Node's fetch (bot/github/direct-read.ts: the config and
 * the branch head) and the forge calls' client (src/net/fetch.ts: the address guard, the
 * kept-alive connection, the answer as a fetch Response). Node loads and compiles both on first use
 * (tens of ms each on a small machine), which the first pushes after a start would otherwise pay
 * for. The answers are thrown away; a failure changes nothing.
 */
export async function warmOutbound(url: string): Promise<void> {
  const health = `${url}/healthz`;
  await Promise.all([
    fetch(health, { signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS) }).then((r) => r.json()),
    safeFetch(health, { timeoutMs: DEFAULT_TIMEOUT_MS }).then((r) => r.json()),
  ]).catch(() => undefined);
}
