// The dashboard's stylesheet and script, shipped as files: next to this module when run from the
// sources (bot/dashboard/assets/), and in dist/dashboard/ when run from the bundle (dist/bot.js),
// where scripts/build.mjs copies them. Only the files named here are served.
import { existsSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";

const TYPES: Record<string, string> = {
  "dashboard.css": "text/css; charset=utf-8",
  "dashboard.js": "text/javascript; charset=utf-8",
};

function assetDir(): string {
  const candidates = [new URL("./assets/", import.meta.url), new URL("./dashboard/", import.meta.url)];
  const found = candidates.map((u) => fileURLToPath(u)).find((d) => existsSync(`${d}dashboard.css`));
  if (!found) throw new Error(`dashboard assets not found (looked in ${candidates.join(", ")})`);
  return found;
}

let cache: Map<string, Buffer> | undefined;

function load(): Map<string, Buffer> {
  if (!cache) {
    const dir = assetDir();
    cache = new Map(Object.keys(TYPES).map((n) => [n, readFileSync(`${dir}${n}`)]));
  }
  return cache;
}

export function serveAsset(res: ServerResponse, name: string): void {
  const type = TYPES[name];
  if (!type) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("not found\n");
    return;
  }
  res.writeHead(200, {
    "content-type": type,
    "cache-control": "public, max-age=300",
    "x-content-type-options": "nosniff",
  });
  res.end(load().get(name));
}
