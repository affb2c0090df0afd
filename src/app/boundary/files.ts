// What a repository's config may touch on disk and on the host. Every path it names (build
// context, Dockerfile, compose file, static site) must stay inside the checkout after symlinks,
// or a push could build the bot machine's own files into an image. Volumes are named volumes,
// scoped to the project, unless the operator allows host bind mounts.
import { existsSync, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Config } from "../../config/schema.js";

/**
 * The real path of p, for the part that exists; the rest appended as written. The kernel's
 * realpath (realpathSync.native): the JS one applies a `..` after a symlink to the link's text,
 * so `y -> x/..` with `x -> dir/l/..` and `dir/l -> ..` looked like the checkout while the kernel
 * opens its parent's parent.
 */
function realish(p: string): string {
  let head = resolve(p);
  const tail: string[] = [];
  while (!existsSync(head) && dirname(head) !== head) {
    tail.unshift(basename(head));
    head = dirname(head);
  }
  return join(realpathSync.native(head), ...tail);
}

/** Whether `real` is `root` or below it; both already real paths. */
export function within(root: string, real: string): boolean {
  const rel = relative(root, real);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function inside(root: string, p: string): boolean {
  return within(realish(root), realish(p));
}

/**
 * The first symlink under `root` that the kernel resolves outside it, as a path relative to
 * `root`; undefined when there is none. Links are not followed (a linked directory is judged as
 * the link), so the walk visits each entry once; past `maxEntries` it throws.
 *
 * A link the kernel cannot resolve (dangling, a loop) is judged by the longest head of its target
 * the kernel can resolve: outside the root it is refused, since something may exist or appear
 * there (another checkout, the bot's files); inside it is accepted, since nothing is created in a
 * checkout once unpacked and the kernel never walks a `..` past a missing component, so the link
 * can only ever fail to open (repositories do carry links to build output they do not commit).
 */
export function linkOutside(root: string, maxEntries: number): string | undefined {
  const top = realpathSync.native(root);
  let seen = 0;
  const pending = [top];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    // In name order, so the link named is the same on every machine.
    const names = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of names) {
      if (++seen > maxEntries) throw new Error(`more than ${maxEntries} entries`);
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isSymbolicLink() && !within(top, linkTarget(path))) return relative(top, path);
    }
  }
  return undefined;
}

/** Where the kernel takes the link at `path` (in a real directory), or the head of it that exists. */
function linkTarget(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const text = readlinkSync(path);
    // Joined as text, never normalised: each head is resolved by the kernel, `..` and all.
    const parts = (isAbsolute(text) ? text : `${dirname(path)}/${text}`).split("/");
    for (let n = parts.length - 1; n > 0; n--) {
      try {
        return realpathSync.native(parts.slice(0, n).join("/") || "/");
      } catch {
        // this head does not resolve either: a shorter one
      }
    }
    return "/";
  }
}

/** Each path a workload names, by key path, resolved against the config's directory. */
export function namedPaths(config: Config, configDir: string, workloads?: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, w] of Object.entries(config.workloads)) {
    if (workloads && !workloads.includes(name)) continue;
    if (w.source === "image") continue;
    const context = resolve(configDir, w.context);
    out.push([`workloads.${name}.context`, context]);
    if (w.source === "dockerfile") out.push([`workloads.${name}.dockerfile`, resolve(context, w.dockerfile)]);
    if (w.source === "compose")
      out.push([`workloads.${name}.compose_file`, resolve(context, w.compose_file ?? "docker-compose.yml")]);
  }
  return out;
}

/** One line per path that resolves (after symlinks) outside `root`. */
export function pathsOutside(
  config: Config,
  configDir: string,
  root: string,
  workloads?: string[],
): string[] {
  return namedPaths(config, configDir, workloads)
    .filter(([, p]) => !inside(root, p))
    .map(([key]) => `${key}: resolves outside the checkout`);
}

// A Docker volume name; anything else in the source position is a host path.
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function split(spec: string): { source: string; rest: string } {
  const i = spec.indexOf(":");
  return { source: spec.slice(0, i), rest: spec.slice(i) };
}

/**
 * Ways into the host, one line each: host bind mounts, and a compose file (which can bind any
 * path and run privileged containers); both only with allow_host_volumes.
 */
export function hostVolumeProblems(config: Config, where: string, workloads?: string[]): string[] {
  const allow = `${where}.allow_host_volumes: true in the bot's config allows them`;
  const problems = Object.entries(config.workloads).flatMap(([name, w]) => {
    if (workloads && !workloads.includes(name)) return [];
    const binds = w.volumes.filter((v) => !VOLUME_NAME.test(split(v).source));
    return [
      ...(binds.length > 0
        ? [`workloads.${name}.volumes: host bind mounts are refused (${binds.join(", ")}); ${allow}`]
        : []),
      ...(w.source === "compose"
        ? [`workloads.${name}.source: compose files can bind host paths and are refused; ${allow}`]
        : []),
    ];
  });
  // The bot never starts an accessory, but a repo's file asks for them all the same: the same rule.
  const accessories = Object.entries(config.accessories ?? {}).flatMap(([name, a]) => {
    const binds = a.volumes.filter((v) => !VOLUME_NAME.test(split(v).source));
    return binds.length > 0
      ? [`accessories.${name}.volumes: host bind mounts are refused (${binds.join(", ")}); ${allow}`]
      : [];
  });
  return [...problems, ...accessories];
}

/**
 * The host's network (its loopback: proxy admin APIs), another container's, or Docker's default
 * bridge (where every project's containers reach each other by IP; the bot runs a workload naming
 * no network on its stage's own): never from a repo. A user-defined network is the project's own
 * (P or P_NAME, like its volumes) or one the operator lists in projects.P.networks (the proxy's);
 * another project's network would reach its databases.
 */
export function networkProblems(
  config: Config,
  project: string,
  allowed: readonly string[],
  where: string,
  workloads?: string[],
): string[] {
  return [
    ...workloadNetworkProblems(config, project, allowed, where, workloads),
    ...swarmNetworkProblems(config, project, allowed, where),
  ];
}

/** A Swarm's overlay: the project's own (tinyforge-P, the default) or one the operator lists. */
function swarmNetworkProblems(
  config: Config,
  project: string,
  allowed: readonly string[],
  where: string,
): string[] {
  const n = config.swarm?.network;
  if (n === undefined || n === `tinyforge-${project}` || allowed.includes(n)) return [];
  return [
    `swarm.network: ${n} is not this project's (tinyforge-${project}); ${where}.networks in the bot's config allows others`,
  ];
}

function workloadNetworkProblems(
  config: Config,
  project: string,
  allowed: readonly string[],
  where: string,
  workloads?: string[],
): string[] {
  return Object.entries(config.workloads).flatMap(([name, w]) => {
    const n = w.network;
    if ((workloads && !workloads.includes(name)) || !n) return [];
    if (/^(host|container:.*)$/.test(n))
      return [
        `workloads.${name}.network: ${n} is refused (it reaches the host's loopback or another container)`,
      ];
    // "default" is Docker's name for the bridge too, whatever the project is called.
    if (n === "bridge" || n === "default")
      return [
        `workloads.${name}.network: ${n} is refused (Docker's default bridge reaches every other project's containers on the host); leave network: out and the workload runs on its stage's own network`,
      ];
    if (n === project || n.startsWith(`${project}_`) || allowed.includes(n)) return [];
    return [
      `workloads.${name}.network: ${n} is not this project's (${project} or ${project}_NAME); ${where}.networks in the bot's config allows others`,
    ];
  });
}

/** Named volumes prefixed with the bot's project name, so two projects never share one. */
export function scopeVolumes(config: Config, project: string): Config {
  const prefix = `${project}_`;
  const workloads = Object.fromEntries(
    Object.entries(config.workloads).map(([name, w]) => [
      name,
      {
        ...w,
        volumes: w.volumes.map((v) => {
          const { source, rest } = split(v);
          return VOLUME_NAME.test(source) && !source.startsWith(prefix) ? `${prefix}${source}${rest}` : v;
        }),
      },
    ]),
  );
  return { ...config, workloads };
}
