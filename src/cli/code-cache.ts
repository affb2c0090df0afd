// Loads the CLI's CommonJS bundle (dist/cli.cjs) from V8's code cache. Node 20 keeps no code cache
// for ES modules, and compiling the bundle was most of the CPU a command spent before its first
// Docker call; with the bytecode a previous run of the same command left, V8 skips that work.
// Node's builtins only: the launcher imports this before anything else loads.
//
// One cache file per command word (what `deploy` compiles is not what `--version` does), written at
// exit after a successful run (so it holds the functions the command compiled lazily), keyed by the
// install, the build, the bundle's size and mtime, and Node's version and architecture. A cache
// never changes what the command does or prints: each failure is swallowed.
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
  type Stats,
  unlinkSync,
  writeSync,
} from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import { crc32 } from "node:zlib";

/** Where and under which name a run reads and writes its cache. */
export interface CacheUse {
  /** The cache directory ($XDG_CACHE_HOME/tinyforge/code). */
  dir: string;
  /** The command word (`deploy`, `version` for --version, `help` for none); made safe for a file name here. */
  word: string;
  /** TINYFORGE_TRACE=1: one line on stderr says what became of the cache. */
  trace?: boolean;
}

/** What happened to the cache: for the trace line and the tests. */
export interface CacheReport {
  /** The cache file this run reads and would write. */
  file?: string;
  /** Cached data was handed to V8. */
  passed: boolean;
  /** V8 refused the cached data it was handed. */
  rejected?: boolean;
  /** Why no cached data was passed (absent, damaged, not ours…). */
  skipped?: string;
}

export interface Loaded {
  exports: Record<string, unknown>;
  cache: CacheReport;
}

// The function Node wraps a CommonJS module in; the bundle's code starts on its first line.
const WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) { ";
const WRAPPER_TAIL = "\n})";
const STAMP = "//# tinyforge-build ";
/** The CRC-32 of the cached data ends each file: V8 release builds do not check the data, and damaged bytecode crashes. */
const TRAILER = 4;

/** Runs the CommonJS bundle at `bundlePath` and returns its exports; `use` undefined: no cache. */
export function loadWithCodeCache(bundlePath: string, use: CacheUse | undefined): Loaded {
  const { text, stats } = readBundle(bundlePath);
  const file = use ? quietly(use, () => cacheFile(use, bundlePath, text, stats)) : undefined;
  const read = file ? readCache(file) : undefined;
  const script = new Script(WRAPPER_HEAD + text + WRAPPER_TAIL, {
    filename: bundlePath,
    ...(read?.data ? { cachedData: read.data } : {}),
  });
  const cache: CacheReport = {
    ...(file ? { file: file.path } : {}),
    passed: read?.data !== undefined,
    ...(read?.data ? { rejected: script.cachedDataRejected === true } : {}),
    ...(read?.skipped ? { skipped: read.skipped } : {}),
  };
  if (file && use) {
    if (cache.passed && !cache.rejected) trace(use, "read");
    else writeAtExit(script, file, use, cache.rejected ? "rejected by V8" : (read?.skipped ?? "none"));
  }
  return { exports: run(script, bundlePath), cache };
}

/** The bundle as latin1 (it is ASCII: build.mjs checks), twice as fast to read as UTF-8. */
function readBundle(bundlePath: string): { text: string; stats: Stats } {
  const fd = openSync(bundlePath, "r");
  try {
    return { stats: fstatSync(fd), text: readFileSync(fd, "latin1") };
  } finally {
    closeSync(fd);
  }
}

/** Runs the compiled wrapper as Node runs a CommonJS module. */
function run(script: Script, bundlePath: string): Record<string, unknown> {
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as Record<string, unknown> };
  wrapper.call(
    module.exports,
    module.exports,
    createRequire(bundlePath),
    module,
    bundlePath,
    dirname(bundlePath),
  );
  return module.exports;
}

interface CacheFile {
  dir: string;
  path: string;
  /** More than any cache of this bundle holds (bytecode is smaller than its source): damage, not read. */
  maxBytes: number;
  /** Every cache file of this install starts with it: the others of another key are stale. */
  installPrefix: string;
  keyPrefix: string;
}

/** The cache file for this bundle, this Node and this command; none for a bundle without a stamp. */
function cacheFile(use: CacheUse, bundlePath: string, text: string, stats: Stats): CacheFile | undefined {
  const stamp = buildStamp(text);
  if (!stamp) return undefined;
  const install = hash([realpathSync(dirname(bundlePath))]);
  const key = hash([stamp, String(stats.size), String(stats.mtimeMs), process.version, process.arch]);
  const installPrefix = `${install}.`;
  const keyPrefix = `${install}.${key}.`;
  return {
    dir: use.dir,
    path: join(use.dir, `${keyPrefix}${safeWord(use.word)}.code`),
    maxBytes: stats.size * 4 + 2 ** 20,
    installPrefix,
    keyPrefix,
  };
}

/** The sha256 build.mjs appended as the bundle's last line. */
function buildStamp(text: string): string | undefined {
  const at = text.lastIndexOf(STAMP, text.length - 1);
  if (at < 0 || text.length - at > 200) return undefined;
  return /^[0-9a-f]{64}/.exec(text.slice(at + STAMP.length))?.[0];
}

function hash(parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 16);
}

/** The command word as a file name's part: argv is anyone's (`../x`, `__proto__`, a newline). */
export function safeWord(word: string): string {
  return /^[a-z0-9][a-z0-9-]{0,31}$/.test(word) ? word : "other";
}

/** The cached data, when the file is ours, whole and undamaged. */
function readCache(file: CacheFile): { data?: Buffer; skipped?: string } {
  try {
    if (!trustedDir(file.dir)) return { skipped: "directory not ours or writable by others" };
    // O_NONBLOCK: a FIFO in the file's place would block the open until someone wrote to it.
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
    const code = (e as NodeJS.ErrnoException).code;
    return { skipped: code === "ENOENT" ? "none" : `unreadable (${String(code ?? e)})` };
  }
}

/** A directory we own that nobody else can write to (root with another user's HOME: no). */
function trustedDir(dir: string): boolean {
  const st = lstatSync(dir);
  return st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o022) === 0 && noOneElseAbove(dir);
}

/**
 * Nobody but us and root can rename or replace `path` or a directory above it, as named and as
 * resolved: otherwise ours could be swapped for theirs between a check and a write, and root with a
 * user's HOME would create root's directories in it (the user's ~/.cache among them). `path` need
 * not exist yet: what does of it is checked.
 */
function noOneElseAbove(path: string): boolean {
  const existing = deepestExisting(path);
  return closedChain(existing) && closedChain(realpathSync(existing));
}

function deepestExisting(path: string): string {
  for (let p = path; ; p = dirname(p)) {
    try {
      lstatSync(p);
      return p;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT" || dirname(p) === p) throw e;
    }
  }
}

/** `path` and each directory above it are ours or root's, and closed to others (sticky, as /tmp, will do). */
function closedChain(path: string): boolean {
  for (let p = path; ; p = dirname(p)) {
    const st = lstatSync(p);
    if (st.uid !== process.getuid?.() && st.uid !== 0) return false;
    // A symlink's own mode means nothing: its directory above and its target (resolved) are checked.
    if (!st.isSymbolicLink() && (st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) return false;
    if (dirname(p) === p) return true;
  }
}

/** At a successful exit, the bytecode the run compiled (lazily compiled functions included). */
function writeAtExit(script: Script, file: CacheFile, use: CacheUse, why: string): void {
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

/** Through a temporary file of our own and a rename: readers see a whole file or none. */
function writeCache(file: CacheFile, data: Buffer): void {
  if (!noOneElseAbove(file.dir))
    throw new Error(`a directory above ${file.dir} is not ours or root's, or is writable by others`);
  mkdirSync(file.dir, { recursive: true, mode: 0o700 });
  if (!trustedDir(file.dir)) throw new Error(`${file.dir} is not ours or is writable by others`);
  const tmp = `${file.path}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(
    tmp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o600,
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
  // rename replaces whatever has the final name, a symlink too, and never follows it.
  renameSync(tmp, file.path);
}

/**
 * This install's cache files of another key (a previous build's or another Node's), and another
 * install's written over a month ago: CI jobs that install into a new directory each time with one
 * HOME would otherwise leave their files forever (one still in use writes its file again).
 */
function removeStale(file: CacheFile): void {
  const own = basename(file.path);
  for (const name of readdirSync(file.dir)) {
    if (name === own || !CACHE_NAME.test(name)) continue;
    const path = join(file.dir, name);
    // A temporary file is another run's write, unless it is old: a run killed while writing left it.
    const stale = name.endsWith(".tmp")
      ? olderThan(path, 60_000)
      : name.startsWith(file.installPrefix)
        ? !name.startsWith(file.keyPrefix)
        : olderThan(path, 30 * 86_400_000);
    // force: a concurrent run may have removed it first.
    if (stale) rmSync(path, { force: true });
  }
}

/** A name cacheFile and writeCache give: nothing else in the directory is ever removed. */
const CACHE_NAME = /^[0-9a-f]{16}\.[0-9a-f]{16}\.[a-z0-9-]+\.code(\.[0-9a-f]{12}\.tmp)?$/;

function olderThan(path: string, ms: number): boolean {
  try {
    return lstatSync(path).mtimeMs < Date.now() - ms;
  } catch {
    return false;
  }
}

/** `f`'s result, or undefined when it throws: a cache must never fail the command. */
function quietly<T>(use: CacheUse, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    trace(use, `failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

function trace(use: CacheUse, what: string): void {
  if (!use.trace) return;
  try {
    process.stderr.write(
      `trace @${Math.round(performance.now())} code cache ${safeWord(use.word)}: ${what}\n`,
    );
  } catch {
    // stderr gone: nothing to say it on.
  }
}
