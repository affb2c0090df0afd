// The build context as a tar stream, honouring .dockerignore the way docker does, uploaded
// through the Docker API over the deploy's one SSH connection.
import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import * as dockerignoreModule from "@balena/dockerignore";
import tar from "tar-fs";

// The package is CommonJS with `export default` typings that ESM interop does not see as callable.
const dockerignore = (dockerignoreModule as unknown as { default: (o: { ignorecase: boolean }) => dockerignoreModule.Ignore })
  .default;

export function ignoreFilter(contextDir: string, dockerfile: string): (path: string) => boolean {
  let patterns = "";
  try {
    patterns = readFileSync(join(contextDir, ".dockerignore"), "utf8");
  } catch {
    // no .dockerignore: send everything
  }
  const ig = dockerignore({ ignorecase: false }).add(patterns.split(/\r?\n/));
  // docker always sends the Dockerfile and .dockerignore, even when a pattern matches them.
  const keep = new Set([dockerfile, ".dockerignore"]);
  return (absPath: string) => {
    const rel = relative(contextDir, absPath).split(sep).join("/");
    if (rel === "" || keep.has(rel)) return false;
    return ig.ignores(rel);
  };
}

export function packContext(contextDir: string, dockerfile: string): Readable {
  return tar.pack(contextDir, { ignore: ignoreFilter(contextDir, dockerfile) }) as unknown as Readable;
}
