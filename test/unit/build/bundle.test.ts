// What each bundle loads before it runs a line of ours: the CLI starts without SSH, Docker, the
// forges' clients, Probot or Bolt, and `validate` adds only the config's parser and schema.
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module without types
import { bundleOptions } from "../../../scripts/bundle.mjs";

const HEAVY = /node_modules\/(ssh2|node-ssh|dockerode|@grpc|@octokit|@slack|probot|@actions)\//;

let meta: Metafile;
beforeAll(async () => {
  const r = await build({ ...bundleOptions, write: false, metafile: true, logLevel: "silent" });
  meta = r.metafile!;
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
