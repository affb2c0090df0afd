// dist/launch.js, what bin/tinyforge.js runs: it loads the CLI's bundle (dist/cli.cjs) from V8's code
// cache (code-cache.ts) and runs main(). Node's builtins only, so that it starts in no time.
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import pkg from "../../package.json" with { type: "json" };
import { asksVersion, commandWord } from "./argv.js";
import { type CacheUse, loadWithCodeCache } from "./code-cache.js";
import type { main } from "./main.js";

type Env = Record<string, string | undefined>;

/** Runs the CLI on argv and returns its exit code. */
export async function launch(argv: string[], env: Env = process.env): Promise<number> {
  // A bare --version (scripts and support ask it) needs none of the CLI: answered without it,
  // exactly as commander would.
  if (argv.length === 1 && asksVersion(argv)) {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const bundle = fileURLToPath(new URL("./cli.cjs", import.meta.url));
  const { exports } = loadWithCodeCache(bundle, cacheUse(argv, env));
  return (exports as { main: typeof main }).main(argv);
}

/** Where and under which command word this run caches its code; none when switched off. */
export function cacheUse(argv: readonly string[], env: Env): CacheUse | undefined {
  // Without a uid there is no telling whose a cache file is (Windows): no cache.
  if (env.TINYFORGE_CODE_CACHE === "0" || typeof process.getuid !== "function") return undefined;
  const dir = codeCacheDir(env);
  if (!dir) return undefined;
  const word = commandWord(argv) ?? (asksVersion(argv) ? "version" : "help");
  return { dir, word, trace: env.TINYFORGE_TRACE === "1" };
}

/** $XDG_CACHE_HOME/tinyforge/code, by default ~/.cache/tinyforge/code; none without an absolute home. */
export function codeCacheDir(env: Env): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec: a relative path is invalid and to be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache");
  // A relative HOME (a CI job's odd setting) would put the cache in the working directory: the user's checkout.
  return isAbsolute(base) ? join(base, "tinyforge", "code") : undefined;
}
