// What each bundle loads before it runs a line of ours: the CLI starts without SSH, Docker, the
// forges' clients, Probot or Bolt, and `validate` adds only the config's parser and schema.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module without types
import * as bundling from "../../../scripts/bundle.mjs";

const { bundleOptions, cliBundleOptions, cliBundleText, launchBundleOptions } = bundling;

const HEAVY = /node_modules\/(ssh2|node-ssh|dockerode|@grpc|@octokit|@slack|probot|@actions)\//;

// The shipped CLI is one CommonJS file (dist/cli.cjs), where each lazily imported module is a
// function esbuild calls on the import; which modules a command runs, and when, follows the same
// import() boundaries as an ESM build that splits along them. So the CLI's entry is added to the
// ESM build of the action and the bot here, to see those boundaries as chunks.
let meta: Metafile;
let cli: { meta: Metafile; text: string };
beforeAll(async () => {
  const entryPoints = { ...bundleOptions.entryPoints, cli: "src/cli/index.ts" };
  const r = await build({ ...bundleOptions, entryPoints, write: false, metafile: true, logLevel: "silent" });
  meta = r.metafile!;
  const c = await build({ ...cliBundleOptions, write: false, metafile: true, logLevel: "silent" });
  cli = { meta: c.metafile!, text: cliBundleText(c.outputFiles) };
}, 120_000);

/** The output an entry point (or a lazily imported source file) became. */
function outputOf(source: string): string {
  const found = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === source);
  if (!found) throw new Error(`no output for ${source}`);
  return found[0];
}

/** Outputs an output loads before it runs: it and its static imports, transitively. */
function outputsLoadedBy(output: string): string[] {
  const seen = new Set<string>();
  const walk = (o: string) => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of meta.outputs[o]!.imports) if (i.kind === "import-statement" && !i.external) walk(i.path);
  };
  walk(output);
  return [...seen];
}

/** Source files an output loads before it runs: it and its static imports, transitively. */
function loadedBy(output: string): string[] {
  return outputsLoadedBy(output).flatMap((o) => Object.keys(meta.outputs[o]!.inputs));
}

/** Bytes of the sources matching `files` in what an output loads before it runs. */
function bytesLoadedBy(output: string, files: RegExp): number {
  let bytes = 0;
  for (const o of outputsLoadedBy(output))
    for (const [f, i] of Object.entries(meta.outputs[o]!.inputs)) if (files.test(f)) bytes += i.bytesInOutput;
  return bytes;
}

describe("the bundles", () => {
  it("the CLI entry loads none of SSH, Docker, the forges' clients, Probot or Bolt", async () => {
    const loaded = loadedBy(outputOf("src/cli/index.ts"));
    expect(loaded.filter((f) => HEAVY.test(f))).toEqual([]);
    expect(loaded.some((f) => f.includes("node_modules/zod/"))).toBe(false);
  });

  it("tinyforge validate adds the config's schema and parser, still without SSH or Docker", async () => {
    const loaded = [...loadedBy(outputOf("src/cli/index.ts")), ...loadedBy(outputOf("src/cli/validate.ts"))];
    expect(loaded.some((f) => f.includes("node_modules/zod/"))).toBe(true);
    expect(loaded.filter((f) => HEAVY.test(f))).toEqual([]);
  });

  it("the deploy command dials before the SSH client loads, and loads it before the validator and Docker", async () => {
    // Only the YAML parser stands between argv and the TCP connects (early-login.ts).
    const first = loadedBy(outputOf("src/cli/deploy.ts"));
    expect(first.some((f) => f.includes("node_modules/yaml/"))).toBe(true);
    expect(first.filter((f) => /node_modules\/(ssh2|node-ssh|zod|dockerode)\//.test(f))).toEqual([]);
    const client = loadedBy(outputOf("src/adapters/ssh-login.ts"));
    expect(client.some((f) => f.includes("node_modules/ssh2/"))).toBe(true);
    expect(client.filter((f) => /node_modules\/(zod|dockerode)\//.test(f))).toEqual([]);
    expect(
      loadedBy(outputOf("src/cli/deploy-run.ts")).some((f) => f.includes("node_modules/dockerode/")),
    ).toBe(true);
  });

  it("a deploy loads the validator in an import of its own, apart from the engine's modules", async () => {
    const engine = [
      ...loadedBy(outputOf("src/cli/index.ts")),
      ...loadedBy(outputOf("src/cli/deploy.ts")),
      ...loadedBy(outputOf("src/adapters/ssh-login.ts")),
      ...loadedBy(outputOf("src/cli/deploy-run.ts")),
    ];
    expect(engine.filter((f) => /node_modules\/zod\/|src\/config\/(schema|load)\.ts/.test(f))).toEqual([]);
    expect(loadedBy(outputOf("src/config/load.ts")).some((f) => f.includes("node_modules/zod/"))).toBe(true);
  });

  it("a deploy of an image parses no tar packer, no semver and no copy of Node's streams", async () => {
    const loaded = [
      ...loadedBy(outputOf("src/cli/index.ts")),
      ...loadedBy(outputOf("src/cli/deploy.ts")),
      ...loadedBy(outputOf("src/adapters/ssh-login.ts")),
      ...loadedBy(outputOf("src/cli/deploy-run.ts")),
    ];
    expect(loaded.some((f) => f.includes("node_modules/dockerode/"))).toBe(true);
    expect(
      loaded.filter((f) =>
        // A stand-in (lazy:…) is a few lines that import the real module on its first call.
        /^node_modules\/(.*\/)?(tar-fs|tar-stream|streamx|semver|make-dir|readable-stream)\//.test(f),
      ),
    ).toEqual([]);
  });

  it("the action dials its hosts before it loads the SSH client, @actions/core, the validator or Docker", async () => {
    const first = loadedBy(outputOf("src/action/index.ts"));
    expect(first.some((f) => f.includes("node_modules/yaml/"))).toBe(true);
    expect(
      first.filter((f) => /node_modules\/(ssh2|node-ssh|zod|dockerode|@actions|undici)\//.test(f)),
    ).toEqual([]);
    expect(
      loadedBy(outputOf("src/action/main.ts")).some((f) => f.includes("node_modules/@actions/core/")),
    ).toBe(true);
  });

  it("a deploy parses gRPC, Slack's and GitHub's clients only when it builds with BuildKit or reports", async () => {
    const loaded = [
      ...loadedBy(outputOf("src/cli/index.ts")),
      ...loadedBy(outputOf("src/cli/deploy.ts")),
      ...loadedBy(outputOf("src/cli/deploy-run.ts")),
    ];
    expect(loaded.some((f) => f.includes("node_modules/dockerode/"))).toBe(true);
    expect(loaded.filter((f) => /node_modules\/(@grpc|protobufjs|@slack|@octokit)\//.test(f))).toEqual([]);
  });

  it("the config's validator loads only the parts of zod/mini it uses, and no bundle has classic zod", async () => {
    // Chunks are shared by file: classic zod anywhere (the bot, the action) would put all of zod's
    // core in the chunk the CLI's validator loads, whatever the validator itself imports.
    expect(Object.keys(meta.inputs).filter((f) => f.includes("node_modules/zod/v4/classic/"))).toEqual([]);
    // 73 kB of zod with zod/mini (v4.6); classic zod was 390 kB, classic in the bot alone 300 kB.
    expect(bytesLoadedBy(outputOf("src/cli/validate.ts"), /node_modules\/zod\//)).toBeLessThan(100_000);
    expect(
      loadedBy(outputOf("src/cli/validate.ts")).some((f) => f.includes("node_modules/zod/v4/mini/")),
    ).toBe(true);
  });

  it("the config's validator carries zod's English messages only", async () => {
    const loaded = loadedBy(outputOf("src/cli/validate.ts"));
    expect(loaded.some((f) => f.endsWith("zod/v4/locales/en.js"))).toBe(true);
    expect(loaded.filter((f) => /zod\/v4\/locales\/(?!en\.js)/.test(f))).toEqual([]);
  });
});

describe("the CLI's CommonJS bundle (dist/cli.cjs)", () => {
  it("holds neither Probot nor Bolt", () => {
    expect(
      Object.keys(cli.meta.inputs).filter((f) => /node_modules\/(probot|@slack\/bolt)\//.test(f)),
    ).toEqual([]);
  });

  it("leaves nothing outside but Node's builtins", () => {
    const external = Object.values(cli.meta.outputs).flatMap((o) => o.imports.filter((i) => i.external));
    expect(external.length).toBeGreaterThan(0);
    expect(external.map((i) => i.path).filter((p) => !isBuiltin(p))).toEqual([]);
  });

  it("is one file with no import(): the launcher compiles it as a plain script", () => {
    expect(Object.keys(cli.meta.outputs)).toEqual(["dist/cli.cjs"]);
    const imports = Object.values(cli.meta.outputs).flatMap((o) => o.imports);
    expect(imports.filter((i) => i.kind === "dynamic-import")).toEqual([]);
    // In code, that is: the dependencies' JSDoc comments say `{import('./get')}`.
    expect(cli.text.match(/(?<![{\w$.])import\s*\(/g)).toBeNull();
  });

  it("is ASCII and ends with its build stamp, the sha256 of the text before that line", () => {
    expect(Buffer.from(cli.text, "utf8").every((b) => b <= 127)).toBe(true);
    const m = /\/\/# tinyforge-build ([0-9a-f]{64})\n$/.exec(cli.text);
    expect(m).not.toBeNull();
    const before = cli.text.slice(0, m!.index);
    expect(createHash("sha256").update(before).digest("hex")).toBe(m![1]);
  });

  it("runs as CommonJS: its main answers --version", () => {
    const dir = mkdtempSync(join(tmpdir(), "tf-cli-cjs-"));
    writeFileSync(join(dir, "cli.cjs"), cli.text);
    const r = spawnSync(
      process.execPath,
      [
        "-e",
        'require(process.argv[1]).main(["--version"]).then((c) => (process.exitCode = c))',
        join(dir, "cli.cjs"),
      ],
      { encoding: "utf8" },
    );
    rmSync(dir, { recursive: true, force: true });
    expect({ code: r.status, out: r.stdout, err: r.stderr }).toEqual({ code: 0, out: "0.1.0\n", err: "" });
  });
});

describe("the CLI's launcher (dist/launch.js)", () => {
  it("is our few lines, the package's version and Node's builtins, nothing else", async () => {
    const r = await build({ ...launchBundleOptions, write: false, metafile: true, logLevel: "silent" });
    expect(Object.keys(r.metafile!.inputs).sort()).toEqual([
      "package.json",
      "src/cli/argv.ts",
      "src/cli/code-cache.ts",
      "src/cli/launch.ts",
    ]);
    const external = Object.values(r.metafile!.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(external.filter((p) => !isBuiltin(p))).toEqual([]);
  });
});
