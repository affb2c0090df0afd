// The launcher's code cache (src/cli/code-cache.ts): a second start of a command compiles nothing,
// and no cache file, damaged, stale, someone else's or named by a hostile argv, changes what runs.
// Each start is a process of its own (test/fixtures/code-cache-run.ts): within one process V8
// serves a source it has seen from memory and never reads cached data.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { crc32 } from "node:zlib";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const isRoot = process.getuid?.() === 0;

// The runner bundled once, as the launcher is (Node's builtins only): a start then costs a bare
// node's, not tsx's.
let runnerDir: string;
let runner: string;
beforeAll(async () => {
  runnerDir = mkdtempSync(join(tmpdir(), "tf-code-cache-runner-"));
  runner = join(runnerDir, "run.mjs");
  await build({
    entryPoints: [join(import.meta.dirname, "../../fixtures/code-cache-run.ts")],
    outfile: runner,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "silent",
  });
});
afterAll(() => rmSync(runnerDir, { recursive: true, force: true }));

let tmp: string;
let xdg: string;
let codeDir: string;
let bundle: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "tf-code-cache-"));
  xdg = join(tmp, "xdg");
  codeDir = join(xdg, "tinyforge", "code");
  bundle = join(tmp, "dist", "cli.cjs");
  mkdirSync(join(tmp, "dist"));
  writeBundle("v1");
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A CommonJS bundle as build.mjs writes one: ASCII, its build stamp on the last line. */
function writeBundle(version: string): void {
  const text = [
    '"use strict";',
    "function sum(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }",
    `exports.main = (argv) => ({ version: ${JSON.stringify(version)}, sum: sum(10), argv });`,
    "",
  ].join("\n");
  const stamp = createHash("sha256").update(text).digest("hex");
  writeFileSync(bundle, `${text}//# tinyforge-build ${stamp}\n`);
}

interface Run {
  code: number | null;
  stderr: string;
  cache: { file?: string; passed: boolean; rejected?: boolean; skipped?: string };
  result: { version: string; sum: number; argv: string[] };
}

/** One start of the bundle, as `tinyforge …argv`, in a process of its own (an env value undefined: unset). */
function start(
  argv: string[] = ["validate"],
  env: Record<string, string | undefined> = {},
  opts: { cwd?: string; timeout?: number } = {},
): Run {
  const r = spawnSync(process.execPath, [runner, bundle, ...argv], {
    env: { ...process.env, XDG_CACHE_HOME: xdg, TINYFORGE_CODE_CACHE: "", ...env },
    encoding: "utf8",
    timeout: opts.timeout ?? 30_000,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  if (r.status === null) return { code: null, stderr: r.stderr, cache: { passed: false }, result: null! };
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "null");
  return { code: r.status, stderr: r.stderr, ...out };
}

/** Every file under $XDG_CACHE_HOME, relative to it. */
function cacheFiles(): string[] {
  try {
    return readdirSync(xdg, { recursive: true, withFileTypes: true })
      .filter((d) => !d.isDirectory())
      .map((d) => relative(xdg, join(d.parentPath, d.name)))
      .sort();
  } catch {
    return [];
  }
}

describe("the CLI's code cache", { timeout: 60_000 }, () => {
  it("a second start of a command hands V8 the first one's code, and V8 takes it", () => {
    const first = start();
    expect(first.cache).toMatchObject({ passed: false, skipped: "none" });
    expect(first.result).toMatchObject({ version: "v1", sum: 45 });
    expect(cacheFiles()).toEqual([relative(xdg, first.cache.file!)]);
    const second = start();
    expect(second.cache).toEqual({ file: first.cache.file, passed: true, rejected: false });
    expect(second.result).toMatchObject({ version: "v1", sum: 45 });
  });

  it("keeps one file per command word, --version and a bare start their own", () => {
    start(["validate"]);
    start(["-c", "x.yml", "deploy", "web"]);
    start(["--version"]);
    start([]);
    expect(cacheFiles().map((f) => f.split(".").at(-2))).toEqual(
      expect.arrayContaining(["validate", "deploy", "version", "help"]),
    );
    expect(cacheFiles()).toHaveLength(4);
    expect(start(["deploy", "api"]).cache).toMatchObject({ passed: true, rejected: false });
  });

  it("a new build does not use the old build's cache and removes it", () => {
    const old = start().cache.file!;
    writeBundle("v2");
    const next = start();
    expect(next.cache).toMatchObject({ passed: false, skipped: "none" });
    expect(next.cache.file).not.toBe(old);
    expect(next.result.version).toBe("v2");
    expect(cacheFiles()).toEqual([relative(xdg, next.cache.file!)]);
    expect(start().cache).toMatchObject({ passed: true, rejected: false });
  });

  it("a damaged cache file is ignored, the command runs, and the file is written again", () => {
    const file = start().cache.file!;
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(file, bytes);
    const damaged = start();
    expect(damaged.code).toBe(0);
    expect(damaged.cache).toMatchObject({ passed: false, skipped: "file damaged" });
    expect(damaged.result.sum).toBe(45);
    expect(start().cache).toMatchObject({ passed: true, rejected: false });
  });

  it("cached data V8 refuses (whole, but not its own) is replaced by what the run compiled", () => {
    const file = start().cache.file!;
    const foreign = Buffer.alloc(4096, 7);
    const crc = Buffer.alloc(4);
    crc.writeUInt32LE(crc32(foreign));
    writeFileSync(file, Buffer.concat([foreign, crc]));
    const refused = start();
    expect(refused.code).toBe(0);
    expect(refused.cache).toMatchObject({ passed: true, rejected: true });
    expect(refused.result.sum).toBe(45);
    expect(start().cache).toMatchObject({ passed: true, rejected: false });
  });

  it("a truncated cache file is ignored", () => {
    const file = start().cache.file!;
    writeFileSync(file, readFileSync(file).subarray(0, 3));
    const r = start();
    expect(r.code).toBe(0);
    expect(r.cache).toMatchObject({ passed: false, skipped: "file too short" });
  });

  it.runIf(isRoot)("a cache file owned by another user is not read", () => {
    const file = start().cache.file!;
    chownSync(file, 65534, 65534);
    const r = start();
    expect(r.cache).toMatchObject({ passed: false, skipped: "file not ours" });
    expect(r.result.sum).toBe(45);
  });

  it.runIf(isRoot)(
    "nothing is written into a directory owned by another user (root with someone's HOME)",
    () => {
      mkdirSync(codeDir, { recursive: true, mode: 0o700 });
      chownSync(codeDir, 65534, 65534);
      const r = start();
      expect(r.code).toBe(0);
      expect(cacheFiles()).toEqual([]);
    },
  );

  it.runIf(isRoot)(
    "root with another user's HOME creates nothing in it, not even ~/.cache (sudo without -H)",
    () => {
      const home = join(tmp, "home");
      mkdirSync(home);
      chownSync(home, 65534, 65534);
      const r = start([], { XDG_CACHE_HOME: undefined, HOME: home });
      expect(r.code).toBe(0);
      expect(r.result.sum).toBe(45);
      expect(readdirSync(home)).toEqual([]);
    },
  );

  it("nothing is created under a directory others can write to and rename ours in", () => {
    chmodSync(tmp, 0o777);
    const r = start();
    expect(r.code).toBe(0);
    expect(readdirSync(tmp).sort()).toEqual(["dist"]);
  });

  it("a relative HOME puts no cache in the working directory", () => {
    const r = start([], { XDG_CACHE_HOME: undefined, HOME: "relative-home" }, { cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.cache).toEqual({ passed: false });
    expect(readdirSync(tmp).sort()).toEqual(["dist"]);
  });

  it("a FIFO in the cache file's place is not waited on", () => {
    const file = start().cache.file!;
    unlinkSync(file);
    expect(spawnSync("mkfifo", [file]).status).toBe(0);
    const r = start(["validate"], {}, { timeout: 10_000 });
    expect(r.code).toBe(0);
    expect(r.cache).toMatchObject({ passed: false, skipped: "file not ours" });
  });

  it("a temporary file a killed run left is removed by a later write; one being written is not", () => {
    const file = start().cache.file!;
    const [left, inFlight] = [`${file}.0123456789ab.tmp`, `${file}.ba9876543210.tmp`];
    writeFileSync(left, "half");
    utimesSync(left, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    writeFileSync(inFlight, "half");
    unlinkSync(file);
    expect(start().code).toBe(0);
    expect(cacheFiles().map((f) => join(xdg, f))).toEqual([file, inFlight].sort());
  });

  it("another install's cache files written over a month ago are removed by a later write; recent ones stay", () => {
    // CI jobs that install into a new directory each time, with one HOME: each install its files.
    const file = start().cache.file!;
    const other = (install: string) => join(codeDir, `${install}.0123456789abcdef.deploy.code`);
    const [gone, used] = [other("aaaaaaaaaaaaaaaa"), other("bbbbbbbbbbbbbbbb")];
    const monthAgo = new Date(Date.now() - 31 * 86_400_000);
    writeFileSync(gone, "old");
    utimesSync(gone, monthAgo, monthAgo);
    writeFileSync(used, "recent");
    unlinkSync(file);
    expect(start().code).toBe(0);
    expect(cacheFiles().map((f) => join(xdg, f))).toEqual(
      [gone, used, file].filter((f) => f !== gone).sort(),
    );
  });

  it("a cache file far larger than the bundle could yield is not read", () => {
    const file = start().cache.file!;
    // Sparse: a gigabyte of zeros that takes no disk.
    truncateSync(file, 1 << 30);
    const r = start();
    expect(r.code).toBe(0);
    expect(r.cache).toMatchObject({ passed: false, skipped: "file too large" });
    expect(start().cache).toMatchObject({ passed: true, rejected: false });
  });

  it("nothing is written into a directory others can write to", () => {
    mkdirSync(codeDir, { recursive: true });
    chmodSync(codeDir, 0o777);
    expect(start().code).toBe(0);
    expect(cacheFiles()).toEqual([]);
  });

  it("creates its directory readable by its owner only", () => {
    start();
    expect(statSync(codeDir).mode & 0o777).toBe(0o700);
  });

  it("a symlink in the cache file's place is neither followed to read nor written through", () => {
    const file = start().cache.file!;
    const target = join(tmp, "elsewhere");
    const cached = readFileSync(file);
    writeFileSync(target, cached);
    unlinkSync(file);
    symlinkSync(target, file);
    const r = start();
    expect(r.cache).toMatchObject({ passed: false, skipped: "unreadable (ELOOP)" });
    expect(readFileSync(target)).toEqual(cached);
    expect(lstatSync(file).isFile()).toBe(true);
    expect(start().cache).toMatchObject({ passed: true, rejected: false });
  });

  it("TINYFORGE_CODE_CACHE=0 neither writes nor reads a cache", () => {
    expect(start([], { TINYFORGE_CODE_CACHE: "0" }).cache).toEqual({ passed: false });
    expect(cacheFiles()).toEqual([]);
    const file = start().cache.file!;
    const off = start([], { TINYFORGE_CODE_CACHE: "0" });
    expect(off.cache).toEqual({ passed: false });
    expect(cacheFiles()).toEqual([relative(xdg, file)]);
  });

  it("a command that exits non-zero writes no cache", () => {
    const r = start(["deploy"], { RUN_EXIT: "3" });
    expect(r.code).toBe(3);
    expect(r.result.sum).toBe(45);
    expect(cacheFiles()).toEqual([]);
  });

  it("a hostile command word names one file inside the cache directory", () => {
    const words = ["../x", "../../../escaped", "__proto__", "a\r\nb", "x/y", "..", "DEPLOY", "a".repeat(300)];
    for (const w of words) expect(start([w]).code).toBe(0);
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^tinyforge\/code\/[0-9a-f]{16}\.[0-9a-f]{16}\.other\.code$/);
    expect(readdirSync(tmp).sort()).toEqual(["dist", "xdg"]);
  });

  it("TINYFORGE_TRACE=1 says on one line what became of the cache; without it stderr stays empty", () => {
    expect(start([], { TINYFORGE_TRACE: "1" }).stderr).toMatch(
      /^trace @\d+ code cache help: written \(none\)\n$/,
    );
    expect(start([], { TINYFORGE_TRACE: "1" }).stderr).toMatch(/^trace @\d+ code cache help: read\n$/);
    expect(start([]).stderr).toBe("");
  });
});
