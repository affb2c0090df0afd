import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { extract } from "tar-stream";
import { afterEach, describe, expect, it } from "vitest";
import {
  IGNORE_FILE_MAX,
  ignoreFilter,
  packContext,
  packStaticSite,
} from "../../../src/deploy/build-context.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function context(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), "tinyforge-ctx-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Names of the regular files in a tar stream, with their contents. */
async function entries(stream: Readable): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const x = extract();
  const done = new Promise<void>((resolve, reject) => {
    x.on("entry", (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on("data", (c: unknown) => {
        chunks.push(c as Buffer);
      });
      body.on("end", () => {
        if (header.type === "file") out[header.name] = Buffer.concat(chunks).toString("utf8");
        next();
      });
    });
    x.on("finish", resolve);
    x.on("error", reject);
  });
  stream.pipe(x);
  await done;
  return out;
}

const APP = {
  Dockerfile: "FROM node:20\n",
  "package.json": "{}\n",
  "src/index.js": "console.log('hi')\n",
  "node_modules/left-pad/index.js": "module.exports = 1\n",
  "node_modules/.bin/x": "#!/bin/sh\n",
  "debug.log": "noise\n",
  "keep.log": "wanted\n",
  "src/nested.log": "nested\n",
};

describe("packContext", () => {
  it("sends what .dockerignore leaves, with exceptions; Dockerfile and .dockerignore always go", async () => {
    const ctx = context({
      ...APP,
      ".dockerignore": "node_modules\n*.log\n!keep.log\nDockerfile\n.dockerignore\n",
    });
    const files = await entries(await packContext(ctx, "Dockerfile"));
    expect(Object.keys(files).sort()).toEqual([
      ".dockerignore",
      "Dockerfile",
      "keep.log",
      "package.json",
      "src/index.js",
      "src/nested.log",
    ]);
    expect(files.Dockerfile).toBe("FROM node:20\n");
    expect(files["keep.log"]).toBe("wanted\n");
  });

  it("sends everything when there is no .dockerignore", async () => {
    const ctx = context(APP);
    expect(Object.keys(await entries(await packContext(ctx, "Dockerfile"))).sort()).toEqual(
      Object.keys(APP).sort(),
    );
  });

  it("honours ** patterns and comments, and keeps a Dockerfile at another path", async () => {
    const ctx = context({
      "docker/web.Dockerfile": "FROM busybox\n",
      "src/a.test.js": "",
      "src/lib/b.test.js": "",
      "src/lib/b.js": "",
      ".dockerignore": "# tests stay home\n**/*.test.js\ndocker/*\n",
    });
    expect(Object.keys(await entries(await packContext(ctx, "docker/web.Dockerfile"))).sort()).toEqual([
      ".dockerignore",
      "docker/web.Dockerfile",
      "src/lib/b.js",
    ]);
  });
});

describe("ignoreFilter", () => {
  it("answers per absolute path, never ignoring the context root itself", () => {
    const ctx = context({ ".dockerignore": "node_modules\n*.log\n!keep.log\n" });
    const ignored = ignoreFilter(ctx, "Dockerfile");
    expect(ignored(ctx)).toBe(false);
    expect(ignored(join(ctx, "node_modules"))).toBe(true);
    expect(ignored(join(ctx, "node_modules", "x", "y.js"))).toBe(true);
    expect(ignored(join(ctx, "debug.log"))).toBe(true);
    expect(ignored(join(ctx, "keep.log"))).toBe(false);
    expect(ignored(join(ctx, "Dockerfile"))).toBe(false);
  });
});

/**
 * ignoreFilter(ctx) in a child process with a deadline: a read that blocks (a FIFO) blocks the
 * whole thread, so run in this one a regression would hang the suite instead of failing.
 */
function ignoreFilterIn(ctx: string, checkoutRoot?: string): { out: string } {
  const mod = join(import.meta.dirname, "../../../src/deploy/build-context.ts");
  const code = `import { ignoreFilter } from ${JSON.stringify(mod)};
try { ignoreFilter(${JSON.stringify(ctx)}, "Dockerfile", ${JSON.stringify(checkoutRoot)}); console.log("read"); }
catch (e) { console.log(e.code + ": " + e.message); }`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    encoding: "utf8",
    timeout: 15_000,
  });
  return { out: r.error ? `did not finish (${r.error.message})` : r.stdout.trim() || r.stderr };
}

describe(".dockerignore that is not a small regular file", () => {
  it("a FIFO is a build error at once, never a read that waits for a writer", () => {
    const ctx = context({ Dockerfile: "FROM scratch\n" });
    execFileSync("mkfifo", [join(ctx, ".dockerignore")]);
    expect(ignoreFilterIn(ctx).out).toBe(
      "build_failed: .dockerignore in the build context is not a regular file (a FIFO, a device or a directory)",
    );
  });

  it("a link to /dev/zero is a build error at once, never a read without end", () => {
    const ctx = context({ Dockerfile: "FROM scratch\n" });
    symlinkSync("/dev/zero", join(ctx, ".dockerignore"));
    expect(ignoreFilterIn(ctx).out).toBe(
      "build_failed: .dockerignore in the build context is not a regular file (a FIFO, a device or a directory)",
    );
    // In the bot's checkout, a link out of it is refused before anything is opened.
    expect(ignoreFilterIn(ctx, ctx).out).toBe(
      "build_failed: .dockerignore in the build context is a symlink that resolves outside the checkout",
    );
  });

  it("one larger than 1 MiB is a build error; a link to a file in the checkout is read", () => {
    const ctx = context({ Dockerfile: "FROM scratch\n", "shared/ignore": "*.log\n" });
    writeFileSync(join(ctx, ".dockerignore"), Buffer.alloc(IGNORE_FILE_MAX + 1, "#"));
    expect(() => ignoreFilter(ctx, "Dockerfile")).toThrow(
      `.dockerignore in the build context is larger than ${IGNORE_FILE_MAX} bytes`,
    );
    rmSync(join(ctx, ".dockerignore"));
    symlinkSync("shared/ignore", join(ctx, ".dockerignore"));
    expect(ignoreFilter(ctx, "Dockerfile", ctx)(join(ctx, "debug.log"))).toBe(true);
  });
});

describe("a build context in the bot's checkout", () => {
  it("is refused when the kernel resolves it outside the checkout (a chain of relative links)", async () => {
    const root = context({ "site/index.html": "hi" });
    mkdirSync(join(root, "dir1"));
    symlinkSync("..", join(root, "dir1", "l"));
    symlinkSync("dir1/l/..", join(root, "x"));
    await expect(packStaticSite(join(root, "x"), "FROM x\n", root)).rejects.toMatchObject({
      code: "checkout_refused",
      message: "the build context x resolves outside the checkout",
    });
    await expect(packContext(join(root, "x"), "Dockerfile", root)).rejects.toMatchObject({
      code: "checkout_refused",
    });
    expect(Object.keys(await entries(await packStaticSite(join(root, "site"), "FROM x\n", root)))).toEqual([
      "site/index.html",
      "Dockerfile",
    ]);
  });
});
