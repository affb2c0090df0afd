import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { extract } from "tar-stream";
import { expect, it } from "vitest";
import { packContext } from "../../../src/deploy/build-context.js";

function context(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "tinyforge-ctx-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
async function names(stream: Readable): Promise<string[]> {
  const out: string[] = [];
  const x = extract();
  const done = new Promise<void>((resolve, reject) => {
    x.on("entry", (h, body, next) => {
      if (h.type === "file") out.push(h.name);
      body.on("end", next);
      body.resume();
    });
    x.on("finish", resolve);
    x.on("error", reject);
  });
  stream.pipe(x);
  await done;
  return out.sort();
}

it("build-context: a Dockerfile inside an ignored directory is still sent (docker always sends it)", async () => {
  const ctx = context({
    "docker/Dockerfile": "FROM busybox\n",
    "docker/notes.md": "",
    "app.js": "",
    ".dockerignore": "docker\n",
  });
  expect(await names(await packContext(ctx, "docker/Dockerfile"))).toEqual([
    ".dockerignore",
    "app.js",
    "docker/Dockerfile",
  ]);
});

it("build-context: an exception inside an ignored directory is sent, as docker does", async () => {
  const ctx = context({
    "logs/keep.log": "k",
    "logs/a.log": "a",
    ".dockerignore": "logs\n!logs/keep.log\n",
    Dockerfile: "FROM busybox\n",
  });
  expect(await names(await packContext(ctx, "Dockerfile"))).toEqual([
    ".dockerignore",
    "Dockerfile",
    "logs/keep.log",
  ]);
});
