// The build context as a tar stream, honouring .dockerignore the way docker does, uploaded
// through the Docker API over the deploy's one SSH connection.
import { readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import * as dockerignoreModule from "@balena/dockerignore";

// The package is CommonJS with `export default` typings that ESM interop does not see as callable.
const dockerignore = (
  dockerignoreModule as unknown as { default: (o: { ignorecase: boolean }) => dockerignoreModule.Ignore }
).default;

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function ignoreFilter(contextDir: string, dockerfile: string): (path: string) => boolean {
  let patterns = "";
  try {
    patterns = readFileSync(join(contextDir, ".dockerignore"), "utf8");
  } catch {
    // no .dockerignore: send everything
  }
  const lines = patterns.split(/\r?\n/);
  const ig = dockerignore({ ignorecase: false }).add(lines);
  // docker always sends the Dockerfile and .dockerignore, even when a pattern matches them.
  const keep = [dockerfile.replace(/^\.\//, ""), ".dockerignore"];
  // Literal heads of exception patterns (`!logs/keep.log` → `logs/keep.log`, `!**/x` → ``):
  // an ignored directory that one of them could reach inside must still be walked.
  const exceptionHeads = lines
    .map((l) => l.trim())
    .filter((l) => l.startsWith("!"))
    .map((l) => l.slice(1).replace(/^\/+/, "").split(/[*?[]/)[0]!);
  return (absPath: string) => {
    const rel = relative(contextDir, absPath).split(sep).join("/");
    if (rel === "" || keep.includes(rel)) return false;
    if (!ig.ignores(rel)) return false;
    if (!isDirectory(absPath)) return true;
    const inside = `${rel}/`;
    const reachable = [...keep, ...exceptionHeads].some((h) => h.startsWith(inside) || inside.startsWith(h));
    return !reachable;
  };
}

/** tar-fs (with its streams, 100 kB) loads with the first build: a deploy of an image never parses it. */
const loadTar = () => import("tar-fs").then((m) => m.default);

export async function packContext(contextDir: string, dockerfile: string): Promise<Readable> {
  const tar = await loadTar();
  return tar.pack(contextDir, { ignore: ignoreFilter(contextDir, dockerfile) }) as unknown as Readable;
}

/** A static site's context: the generated Dockerfile at the root, the site's files under site/. */
export async function packStaticSite(siteDir: string, dockerfile: string): Promise<Readable> {
  const tar = await loadTar();
  const ignore = ignoreFilter(siteDir, "");
  return tar.pack(siteDir, {
    ignore,
    map: (header) => {
      header.name = `site/${header.name}`;
      return header;
    },
    finalize: false,
    finish: (pack) => {
      pack.entry({ name: "Dockerfile", mode: 0o644 }, dockerfile);
      pack.finalize();
    },
  }) as unknown as Readable;
}
