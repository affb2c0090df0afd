// The bundle's stand-ins for what dependencies require at load but a deploy of an image never
// calls (scripts/bundle.mjs): once called, each does what the real module does.
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { extract } from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module without types
import { bundleOptions, cliBundleOptions } from "../../../scripts/bundle.mjs";

const root = join(import.meta.dirname, "..", "..", "..");
const dockerodeTarFs = join(root, "node_modules/dockerode/node_modules/tar-fs");
/** The tar-fs dockerode requires, unbundled: what the stand-in must behave as. */
const realTarFs = createRequire(join(root, "node_modules/dockerode/lib/util.js"))("tar-fs") as {
  pack: (dir: string) => Readable;
};
// Under the checkout's node_modules, so that the real tar-fs and make-dir resolve from it.
let fixture: string;
type Parts = { pack: (dir: string) => Readable; makeDir: (dir: string) => Promise<string> };
/** The fixture bundled as the action and the bot are (ESM, stand-ins import) and as the CLI is (CommonJS, stand-ins require). */
const bundles: Record<"esm" | "cjs", Parts> = {} as Record<"esm" | "cjs", Parts>;
beforeAll(async () => {
  fixture = mkdtempSync(join(root, "node_modules", ".lazy-parts-"));
  const put = (path: string, text: string) => {
    mkdirSync(join(fixture, path, ".."), { recursive: true });
    writeFileSync(join(fixture, path), text);
  };
  // Where the stand-ins apply: dockerode's util.js asking for tar-fs, node-ssh asking for make-dir.
  put("node_modules/dockerode/package.json", "{}\n");
  put("node_modules/dockerode/lib/util.js", 'module.exports = require("tar-fs");\n');
  // dockerode's own tar-fs (v2: tar-stream and bl on readable-stream, which the bundle replaces
  // with Node's streams), as the real dockerode/lib/util.js gets it.
  mkdirSync(join(fixture, "node_modules/dockerode/node_modules"));
  symlinkSync(dockerodeTarFs, join(fixture, "node_modules/dockerode/node_modules/tar-fs"));
  put("node_modules/node-ssh/lib/esm/index.mjs", 'import makeDir from "make-dir";\nexport { makeDir };\n');
  put(
    "entry.mjs",
    'import tar from "./node_modules/dockerode/lib/util.js";\nexport { makeDir } from "./node_modules/node-ssh/lib/esm/index.mjs";\nexport const pack = tar.pack;\n',
  );
  for (const options of [bundleOptions, cliBundleOptions])
    await build({
      ...options,
      entryPoints: { entry: join(fixture, "entry.mjs") },
      outdir: join(fixture, "dist"),
      logLevel: "silent",
    });
  bundles.esm = await import(pathToFileURL(join(fixture, "dist/entry.js")).href);
  bundles.cjs = createRequire(import.meta.url)(join(fixture, "dist/entry.cjs"));
}, 60_000);
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

/** The tar entries a stream holds: name and content. */
function entriesOf(tar: Readable): Promise<string[]> {
  const found: string[] = [];
  return new Promise((resolve, reject) => {
    const x = extract();
    x.on("entry", (h, stream, next) => {
      let body = "";
      stream.on("data", (d) => (body += d));
      stream.on("end", () => {
        found.push(`${h.name}:${body}`);
        next();
      });
    });
    x.on("finish", () => resolve(found.sort()));
    x.on("error", reject);
    tar.on("error", reject).pipe(x);
  });
}

describe.each(["esm", "cjs"] as const)("the %s bundle's stand-ins", (kind) => {
  it("dockerode's packer is a stand-in until called, then streams the directory as its tar-fs does", async () => {
    const dir = mkdtempSync(join(fixture, "ctx-"));
    writeFileSync(join(dir, "a.txt"), "hello");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub/b.txt"), "world");
    const real = await entriesOf(realTarFs.pack(dir));
    expect(real).toContain("sub/b.txt:world");
    expect(await entriesOf(bundles[kind].pack(dir))).toEqual(real);
  });

  it("make-dir is a stand-in until called, then makes the directory and its parents", async () => {
    const made = await bundles[kind].makeDir(join(fixture, kind, "x/y/z"));
    expect(made).toBe(join(fixture, kind, "x/y/z"));
    expect(statSync(made).isDirectory()).toBe(true);
  });

  it("an error of the real packer reaches the stream the stand-in returned", async () => {
    const failed = await new Promise<Error>((resolve) => {
      const s = bundles[kind].pack(join(fixture, "no-such-dir"));
      s.on("error", resolve);
      s.resume();
    });
    expect((failed as NodeJS.ErrnoException).code).toBe("ENOENT");
  });
});
