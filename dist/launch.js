// src/cli/launch.ts
import { homedir } from "node:os";
import { isAbsolute, join as join2 } from "node:path";
import { fileURLToPath } from "node:url";

// package.json
var package_default = {
  name: "tinyforge",
  version: "0.1.0",
  description: "Push-to-deploy for your own Docker hosts: build over SSH, health-gated blue-green swaps, commit statuses, chat-ops.",
  type: "module",
  license: "MIT",
  engines: {
    node: ">=20.18"
  },
  bin: {
    tinyforge: "bin/tinyforge.js",
    "tinyforge-bot": "bin/tinyforge-bot.js"
  },
  files: [
    "bin",
    "dist",
    "schema",
    "action.yml",
    "app.yml"
  ],
  scripts: {
    build: "node scripts/build.mjs",
    typecheck: "tsc --noEmit",
    lint: "biome check .",
    format: "biome format --write .",
    schema: "tsx scripts/gen-schema.ts",
    test: "bash scripts/test.sh",
    "test:unit": "vitest run --project unit",
    "test:integration": "vitest run --project integration",
    testbed: "bash scripts/testbed.sh up",
    demo: "bash scripts/demo.sh",
    bench: "node scripts/build.mjs && tsx bench/startup.ts && tsx bench/deploy.ts && tsx bench/swap.ts && tsx bench/webhook.ts && tsx bench/hosts.ts && tsx bench/lb-swap.ts",
    docs: "tsx scripts/gen-action-docs.ts",
    screenshot: "tsx scripts/screenshot.ts"
  },
  dependencies: {
    "@actions/core": "^3.0.1",
    "@balena/dockerignore": "^1.0.2",
    "@octokit/rest": "^22.0.1",
    "@slack/bolt": "^5.1.0",
    "@slack/web-api": "^7.19.0",
    commander: "^14.0.3",
    dockerode: "^5.0.1",
    "node-ssh": "^13.2.1",
    pino: "^10.4.0",
    probot: "^14.3.2",
    "prom-client": "^15.1.3",
    ssh2: "^1.17.0",
    "tar-fs": "^3.1.3",
    ulid: "^3.0.2",
    yaml: "^2.9.1",
    zod: "^4.6.7"
  },
  devDependencies: {
    "@biomejs/biome": "2.5.15",
    "@octokit/webhooks-examples": "^7.6.1",
    "@types/autocannon": "^7.12.7",
    "@types/dockerode": "^4.0.2",
    "@types/node": "^20.19.43",
    "@types/ssh2": "^1.15.6",
    "@types/tar-fs": "^2.0.4",
    autocannon: "^8.0.0",
    esbuild: "^0.28.2",
    "playwright-core": "^1.65.1",
    tsx: "^4.23.15",
    typescript: "^6.0.3",
    vitest: "4.1"
  }
};

// src/cli/argv.ts
var VALUE_OPTIONS = /* @__PURE__ */ new Set(["-c", "--config"]);
function commandWord(argv) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith("-")) return a;
  }
  return void 0;
}
function asksVersion(argv) {
  return argv.some((a) => a === "-V" || a === "--version");
}

// src/cli/code-cache.ts
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync
} from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import { crc32 } from "node:zlib";
var WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) { ";
var WRAPPER_TAIL = "\n})";
var STAMP = "//# tinyforge-build ";
var TRAILER = 4;
function loadWithCodeCache(bundlePath, use) {
  const { text, stats } = readBundle(bundlePath);
  const file = use ? quietly(use, () => cacheFile(use, bundlePath, text, stats)) : void 0;
  const read = file ? readCache(file) : void 0;
  const script = new Script(WRAPPER_HEAD + text + WRAPPER_TAIL, {
    filename: bundlePath,
    ...read?.data ? { cachedData: read.data } : {}
  });
  const cache = {
    ...file ? { file: file.path } : {},
    passed: read?.data !== void 0,
    ...read?.data ? { rejected: script.cachedDataRejected === true } : {},
    ...read?.skipped ? { skipped: read.skipped } : {}
  };
  if (file && use) {
    if (cache.passed && !cache.rejected) trace(use, "read");
    else writeAtExit(script, file, use, cache.rejected ? "rejected by V8" : read?.skipped ?? "none");
  }
  return { exports: run(script, bundlePath), cache };
}
function readBundle(bundlePath) {
  const fd = openSync(bundlePath, "r");
  try {
    return { stats: fstatSync(fd), text: readFileSync(fd, "latin1") };
  } finally {
    closeSync(fd);
  }
}
function run(script, bundlePath) {
  const wrapper = script.runInThisContext();
  const module = { exports: {} };
  wrapper.call(
    module.exports,
    module.exports,
    createRequire(bundlePath),
    module,
    bundlePath,
    dirname(bundlePath)
  );
  return module.exports;
}
function cacheFile(use, bundlePath, text, stats) {
  const stamp = buildStamp(text);
  if (!stamp) return void 0;
  const install = hash([realpathSync(dirname(bundlePath))]);
  const key = hash([stamp, String(stats.size), String(stats.mtimeMs), process.version, process.arch]);
  const installPrefix = `${install}.`;
  const keyPrefix = `${install}.${key}.`;
  return {
    dir: use.dir,
    path: join(use.dir, `${keyPrefix}${safeWord(use.word)}.code`),
    maxBytes: stats.size * 4 + 2 ** 20,
    installPrefix,
    keyPrefix
  };
}
function buildStamp(text) {
  const at = text.lastIndexOf(STAMP, text.length - 1);
  if (at < 0 || text.length - at > 200) return void 0;
  return /^[0-9a-f]{64}/.exec(text.slice(at + STAMP.length))?.[0];
}
function hash(parts) {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 16);
}
function safeWord(word) {
  return /^[a-z0-9][a-z0-9-]{0,31}$/.test(word) ? word : "other";
}
function readCache(file) {
  try {
    if (!trustedDir(file.dir)) return { skipped: "directory not ours or writable by others" };
    const fd = openSync(file.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.uid !== process.getuid?.()) return { skipped: "file not ours" };
      if (st.size > file.maxBytes) return { skipped: "file too large" };
      const bytes = readFileSync(fd);
      if (bytes.length <= TRAILER) return { skipped: "file too short" };
      const data = bytes.subarray(0, bytes.length - TRAILER);
      if (crc32(data) !== bytes.readUInt32LE(data.length)) return { skipped: "file damaged" };
      return { data };
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = e.code;
    return { skipped: code === "ENOENT" ? "none" : `unreadable (${String(code ?? e)})` };
  }
}
function trustedDir(dir) {
  const st = lstatSync(dir);
  return st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 18) === 0 && noOneElseAbove(dir);
}
function noOneElseAbove(path) {
  const existing = deepestExisting(path);
  return closedChain(existing) && closedChain(realpathSync(existing));
}
function deepestExisting(path) {
  for (let p = path; ; p = dirname(p)) {
    try {
      lstatSync(p);
      return p;
    } catch (e) {
      if (e.code !== "ENOENT" || dirname(p) === p) throw e;
    }
  }
}
function closedChain(path) {
  for (let p = path; ; p = dirname(p)) {
    const st = lstatSync(p);
    if (st.uid !== process.getuid?.() && st.uid !== 0) return false;
    if (!st.isSymbolicLink() && (st.mode & 18) !== 0 && (st.mode & 512) === 0) return false;
    if (dirname(p) === p) return true;
  }
}
function writeAtExit(script, file, use, why) {
  process.once("exit", (code) => {
    if (code !== 0) return;
    const done = quietly(use, () => {
      writeCache(file, script.createCachedData());
      removeStale(file);
      return true;
    });
    if (done) trace(use, `written (${why})`);
  });
}
function writeCache(file, data) {
  if (!noOneElseAbove(file.dir))
    throw new Error(`a directory above ${file.dir} is not ours or root's, or is writable by others`);
  mkdirSync(file.dir, { recursive: true, mode: 448 });
  if (!trustedDir(file.dir)) throw new Error(`${file.dir} is not ours or is writable by others`);
  const tmp = `${file.path}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(
    tmp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    384
  );
  try {
    const crc = Buffer.alloc(TRAILER);
    crc.writeUInt32LE(crc32(data));
    writeSync(fd, data);
    writeSync(fd, crc);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file.path);
}
function removeStale(file) {
  const own = basename(file.path);
  for (const name of readdirSync(file.dir)) {
    if (name === own || !CACHE_NAME.test(name)) continue;
    const path = join(file.dir, name);
    const stale = name.endsWith(".tmp") ? olderThan(path, 6e4) : name.startsWith(file.installPrefix) ? !name.startsWith(file.keyPrefix) : olderThan(path, 30 * 864e5);
    if (stale) rmSync(path, { force: true });
  }
}
var CACHE_NAME = /^[0-9a-f]{16}\.[0-9a-f]{16}\.[a-z0-9-]+\.code(\.[0-9a-f]{12}\.tmp)?$/;
function olderThan(path, ms) {
  try {
    return lstatSync(path).mtimeMs < Date.now() - ms;
  } catch {
    return false;
  }
}
function quietly(use, f) {
  try {
    return f();
  } catch (e) {
    trace(use, `failed: ${e instanceof Error ? e.message : String(e)}`);
    return void 0;
  }
}
function trace(use, what) {
  if (!use.trace) return;
  try {
    process.stderr.write(
      `trace @${Math.round(performance.now())} code cache ${safeWord(use.word)}: ${what}
`
    );
  } catch {
  }
}

// src/cli/launch.ts
async function launch(argv, env = process.env) {
  if (argv.length === 1 && asksVersion(argv)) {
    process.stdout.write(`${package_default.version}
`);
    return 0;
  }
  const bundle = fileURLToPath(new URL("./cli.cjs", import.meta.url));
  const { exports } = loadWithCodeCache(bundle, cacheUse(argv, env));
  return exports.main(argv);
}
function cacheUse(argv, env) {
  if (env.TINYFORGE_CODE_CACHE === "0" || typeof process.getuid !== "function") return void 0;
  const dir = codeCacheDir(env);
  if (!dir) return void 0;
  const word = commandWord(argv) ?? (asksVersion(argv) ? "version" : "help");
  return { dir, word, trace: env.TINYFORGE_TRACE === "1" };
}
function codeCacheDir(env) {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join2(homedir(), ".cache");
  return isAbsolute(base) ? join2(base, "tinyforge", "code") : void 0;
}
export {
  cacheUse,
  codeCacheDir,
  launch
};
