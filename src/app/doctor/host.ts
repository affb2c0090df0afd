// The checks of one host once it is reached: its Docker engine, the space images take, the proxy,
// the registries its `image` workloads pull from, the state directory and its locks. Each reads
// (the state directory check writes one probe file and removes it); none changes a deploy.
import { caddyReloadsReset, MIGRATE_REQ } from "../../adapters/proxy/caddy-reloads.js";
import { makeProxy } from "../../adapters/proxy/index.js";
import { currentLease, leaseAlive } from "../../deploy/lock.js";
import { errorMessage } from "../../errors.js";
import { expandImage } from "../../plan/names.js";
import type { Host, HostFiles } from "../../ports/host.js";
import { Store } from "../../state/store.js";
import type { Session } from "../session.js";
import { attempt, type Finding, ok, type Outcome, problem } from "./finding.js";

/** Docker 20.10's API: older engines lack calls a deploy makes. */
const MIN_API = [1, 41] as const;
/** Below this a build or pull is likely to fail half-way. */
export const MIN_FREE_BYTES = 2 * 1024 ** 3;

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 300);

function apiTooOld(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major < MIN_API[0] || (major === MIN_API[0] && minor < MIN_API[1]);
}

export async function checkReachedHost(s: Session, entry: string, host: Host): Promise<Finding[]> {
  const out: Finding[] = [];
  const add = async (check: string, hint: string, fn: () => Promise<Outcome>) => {
    out.push(await attempt(entry, check, hint, fn));
  };
  let rootDir: string | undefined;
  await add(
    "docker",
    "check that dockerd runs and the SSH user may use its socket (root, or the docker group), and sshd's AllowStreamLocalForwarding",
    async () => {
      const e = await host.docker.engine();
      rootDir = e.rootDir;
      if (apiTooOld(e.apiVersion))
        return problem(
          `Docker ${e.version} (API ${e.apiVersion}) is older than tinyforge needs (API ${MIN_API.join(".")}, Docker 20.10)`,
          "upgrade Docker on the host",
        );
      return ok(`Docker ${e.version}, API ${e.apiVersion}, reached over the connection`);
    },
  );
  if (rootDir) await add("disk", "check that df runs on the host", () => freeDisk(host, rootDir!));
  await add("proxy", "check proxy: in the config", () => proxyAnswers(s, host));
  if (s.config.proxy.driver === "caddy")
    await add("caddy reloads", `check that the SSH user can read ${MIGRATE_REQ}`, () =>
      caddyReloadsKeepConnections(host),
    );
  for (const [name, w] of Object.entries(s.config.workloads)) {
    if (w.source !== "image" || !w.image) continue;
    const stage = Object.keys(s.config.stages)[0] ?? "production";
    const ref = expandImage(w.image, { sha: "0".repeat(40), ref: "main", tag: "pr-1", stage });
    await add(`registry (${name})`, "", () => registryAnswers(host, ref));
  }
  const store = new Store(host.files, s.config.state_dir, s.config.project);
  await add(
    "state dir",
    `the SSH user must be able to create and write ${store.root} (state_dir: in the config; relative paths are under the user's home)`,
    () => stateDirWritable(host, store),
  );
  out.push(...(await staleLocks(s, entry, store)));
  return out;
}

async function freeDisk(host: Host, rootDir: string): Promise<Outcome> {
  const r = await host.exec(["df", "-Pk", rootDir]);
  // POSIX df -P: a header, then "FS 1024-blocks Used Available Capacity Mounted-on".
  const avail = Number(r.stdout.trim().split("\n").at(-1)?.split(/\s+/)[3]);
  if (r.code !== 0 || !Number.isFinite(avail))
    return problem(
      `cannot read the free space of ${rootDir}: ${oneLine(r.stderr) || "no df output"}`,
      "check that df runs on the host",
    );
  const free = avail * 1024;
  if (free < MIN_FREE_BYTES)
    return problem(
      `${gib(free)} free for images in ${rootDir} (under ${gib(MIN_FREE_BYTES)})`,
      "free space on the host: `docker image prune -a` and `docker builder prune` remove what no container uses",
    );
  return ok(`${gib(free)} free for images in ${rootDir}`);
}

async function proxyAnswers(s: Session, host: Host): Promise<Outcome> {
  const p = s.config.proxy;
  if (p.driver === "none") return ok("none: each container publishes its port");
  if (p.driver === "nginx") {
    const command = p.command ?? ["nginx"];
    const r = await host.exec([...command, "-t"]);
    if (r.code !== 0)
      return problem(
        `\`${command.join(" ")} -t\` fails: ${oneLine(r.stderr)}`,
        "fix what nginx names above; a failing config test stops every route change (proxy.command runs nginx on the host)",
      );
    return ok(`\`${command.join(" ")} -t\` passes`);
  }
  const c = s.credentials.proxy;
  const proxy = makeProxy(s.config, host, {
    proxyUser: c.user,
    proxyPassword: c.password,
    proxyToken: c.token,
  });
  // A lookup of a name nobody routes: the admin API (or NPM's login) must answer, nothing changes.
  await proxy.get("tinyforge-doctor.invalid");
  return ok(p.driver === "caddy" ? "caddy admin API answers" : "Nginx Proxy Manager login and API answer");
}

/** Caddy's reloads keep new connections only where the host may hand them over. */
export async function caddyReloadsKeepConnections(host: {
  files: Pick<HostFiles, "read">;
}): Promise<Outcome> {
  const resets = await caddyReloadsReset(host.files);
  if (resets === undefined)
    return ok("net.ipv4.tcp_migrate_req = 1: a route change hands queued connections to caddy's new socket");
  return problem(resets.reason, resets.fix);
}

async function registryAnswers(host: Host, ref: string): Promise<Outcome> {
  const registry =
    ref.includes("/") && /[.:]|^localhost$/.test(ref.split("/")[0]!) ? ref.split("/")[0]! : "docker.io";
  try {
    const found = await host.docker.lookUp(ref);
    return ok(
      `${registry} answers the host's engine (${ref}: ${found === "found" ? "present" : "not pushed yet"})`,
    );
  } catch (e) {
    return problem(
      `the host's engine cannot look up ${ref}: ${oneLine(errorMessage(e))}`,
      `check that the host reaches ${registry} (DNS, firewall, proxy settings of dockerd), and \`docker login ${registry}\` on the host for a private registry`,
    );
  }
}

async function stateDirWritable(host: Host, store: Store): Promise<Outcome> {
  const probe = `${store.root}/.doctor-${process.pid}-${Date.now()}`;
  await host.files.mkdirp(store.root);
  await host.files.writeAtomic(probe, "tinyforge doctor\n");
  await host.files.remove(probe);
  return ok(`${store.root} is writable`);
}

/** One finding per stale lock; one "ok" when there is none. */
async function staleLocks(s: Session, entry: string, store: Store): Promise<Finding[]> {
  const found: Finding[] = [];
  let checked = 0;
  for (const workload of Object.keys(s.config.workloads)) {
    for (const stage of Object.keys(s.config.stages)) {
      checked++;
      const f = await attempt(entry, `lock ${workload}/${stage}`, "", async () => {
        const lease = await currentLease(store.files, store.lockDir(workload, stage));
        if (!lease || leaseAlive(lease, Date.now())) return ok("no stale lock");
        return problem(
          `stale lock held by ${lease.owner} (deploy ${lease.deployId}, since ${lease.acquiredAt}): that deploy stopped without finishing`,
          `if that process is gone, \`tinyforge unlock ${workload} --stage ${stage}\` (the next deploy also takes it over and puts right what it left), then \`tinyforge status\``,
        );
      });
      if (f.verdict !== "ok") found.push(f);
    }
  }
  if (found.length === 0)
    found.push({
      scope: entry,
      check: "lock",
      verdict: "ok",
      detail: `no stale lock (${checked} workload/stage pairs)`,
    });
  return found;
}
