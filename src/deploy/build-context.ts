// The build context as a tar stream, honouring .dockerignore the way docker does, uploaded
// through the Docker API over the deploy's one SSH connection. A checkout the bot unpacked is the
// repository's: its context must be inside it, and its .dockerignore a small regular file.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
} from "node:fs";
import { join, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import * as dockerignoreModule from "@balena/dockerignore";
import { within } from "../app/boundary/files.js";
import { TinyforgeError } from "../errors.js";

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

/** The most a .dockerignore may hold; docker's own are a few kB. */
export const IGNORE_FILE_MAX = 1024 * 1024;

/**
 * The text of `name` in `dir`, undefined when there is none (or it is a dangling link, as before).
 * A FIFO or a device (`.dockerignore -> /dev/zero`) would block the read or fill the memory, so
 * only a regular file below IGNORE_FILE_MAX is read, and is opened non-blocking and checked on the
 * descriptor; anything else is an error, not "no patterns": sending files the repository meant to
 * leave out is worse than no build. With `root` (the bot's checkout), a link must end inside it.
 */
function readSmallFile(dir: string, name: string, root?: string): string | undefined {
  const path = join(dir, name);
  const bad = (why: string) => new TinyforgeError("build_failed", `${name} in the build context ${why}`);
  try {
    if (
      root &&
      lstatSync(path).isSymbolicLink() &&
      !within(realpathSync.native(root), realpathSync.native(path))
    )
      throw bad("is a symlink that resolves outside the checkout");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw bad(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw bad("is not a regular file (a FIFO, a device or a directory)");
    if (st.size > IGNORE_FILE_MAX) throw bad(`is larger than ${IGNORE_FILE_MAX} bytes`);
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return buf.subarray(0, n).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** With the bot's checkout: the context, after symlinks (the kernel's), must be inside it. */
function assertInCheckout(contextDir: string, root: string | undefined): void {
  if (!root) return;
  let real: string;
  try {
    real = realpathSync.native(contextDir);
  } catch {
    return; // no such directory: packing it fails with its own error
  }
  if (!within(realpathSync.native(root), real))
    throw new TinyforgeError(
      "checkout_refused",
      `the build context ${relative(root, contextDir) || "."} resolves outside the checkout`,
    );
}

export function ignoreFilter(
  contextDir: string,
  dockerfile: string,
  checkoutRoot?: string,
): (path: string) => boolean {
  const patterns = readSmallFile(contextDir, ".dockerignore", checkoutRoot) ?? "";
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

/** `checkoutRoot`: the checkout the bot unpacked, which nothing packed may leave. */
export async function packContext(
  contextDir: string,
  dockerfile: string,
  checkoutRoot?: string,
): Promise<Readable> {
  assertInCheckout(contextDir, checkoutRoot);
  const ignore = ignoreFilter(contextDir, dockerfile, checkoutRoot);
  const tar = await loadTar();
  return tar.pack(contextDir, { ignore }) as unknown as Readable;
}

/** A static site's context: the generated Dockerfile at the root, the site's files under site/. */
export async function packStaticSite(
  siteDir: string,
  dockerfile: string,
  checkoutRoot?: string,
): Promise<Readable> {
  assertInCheckout(siteDir, checkoutRoot);
  const ignore = ignoreFilter(siteDir, "", checkoutRoot);
  const tar = await loadTar();
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
