// What `init` can tell about an app from its checkout alone: how it is built (a Dockerfile and the
// port it EXPOSEs, a compose file, or a directory of static files), the branch that deploys, and
// which forge's workflow directory it already has. Reads files; runs only `git`.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { defaultBranch } from "../../adapters/git.js";

export type InitSource = "dockerfile" | "compose" | "static";

export interface Detected {
  /** A DNS-safe project name from the directory's name. */
  project: string;
  branch?: string;
  source?: InitSource;
  /** The first port the Dockerfile EXPOSEs. */
  port?: number;
  composeFile?: string;
  /** The directory (relative to the checkout) with the site's index.html. */
  staticDir?: string;
  /** `.gitea/` exists: the workflow goes to .gitea/workflows. */
  gitea: boolean;
}

/** Compose's own lookup order (compose.yaml first), then the v1 names. */
export const COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
/** Where static site generators and hand-written sites put their output, most specific first. */
export const STATIC_DIRS = ["public", "dist", "build", "_site", "site", "www", "out", "."];

/** "My App_2" → "my-app-2"; a name with nothing usable → "app". */
export function projectName(dirName: string): string {
  const name = dirName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return /^[a-z0-9]/.test(name) ? name : "app";
}

/**
 * The first port of the last stage's EXPOSE lines ("EXPOSE 8080", "EXPOSE 3000/tcp 9229"); a
 * variable ("EXPOSE $PORT") says nothing we can use.
 */
export function exposedPort(dockerfile: string): number | undefined {
  const text = dockerfile.replace(/\\\r?\n/g, " ");
  const stages = text.split(/^\s*FROM\s/im);
  const last = stages.at(-1) ?? "";
  for (const line of last.split(/\r?\n/)) {
    const m = /^\s*EXPOSE\s+(.*)$/i.exec(line);
    if (!m) continue;
    for (const word of m[1]!.split(/\s+/)) {
      const port = /^(\d{1,5})(?:\/(?:tcp|udp))?$/i.exec(word)?.[1];
      if (port && Number(port) >= 1 && Number(port) <= 65535) return Number(port);
    }
  }
  return undefined;
}

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

export async function detect(dir: string): Promise<Detected> {
  const root = resolve(dir);
  const found: Detected = {
    project: projectName(basename(root)),
    branch: await defaultBranch(root),
    gitea: existsSync(join(root, ".gitea")),
  };
  const dockerfile = join(root, "Dockerfile");
  const compose = COMPOSE_FILES.find((f) => isFile(join(root, f)));
  const site = STATIC_DIRS.find((d) => isFile(join(root, d, "index.html")));
  if (isFile(dockerfile)) {
    found.source = "dockerfile";
    const port = exposedPort(readFileSync(dockerfile, "utf8"));
    if (port) found.port = port;
  } else if (compose) {
    found.source = "compose";
    found.composeFile = compose;
  } else if (site) {
    found.source = "static";
    found.staticDir = site;
  }
  return found;
}
