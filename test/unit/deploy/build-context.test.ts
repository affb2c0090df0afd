import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { extract } from "tar-stream";
import { afterEach, describe, expect, it } from "vitest";
import { ignoreFilter, packContext } from "../../../src/deploy/build-context.js";

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
