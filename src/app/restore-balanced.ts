// The load balancer's routes put back (`reconcile --routes`, restore-routes.ts): the route of each
// instance a host serves is checked and, when missing or drifted, written as a deploy writes it
// (balance.ts). A host that could not be read keeps the upstream the load balancer has for it: it
// may well still serve, only its SSH failed.
import { parseHostTarget, targetName } from "../adapters/ssh-target.js";
import { storeFor } from "../deploy/deploy.js";
import { underLock } from "../deploy/restore-routes.js";
import { errorMessage } from "../errors.js";
import type { Host } from "../ports/host.js";
import type { Proxy, Route, Upstream } from "../ports/proxy.js";
import { type LoadBalancer, publishAddress } from "../plan/balance.js";
import { instanceKey } from "../plan/names.js";
import { type Instance, routeOver, servedBy } from "./balance.js";
import { engineContext, type Session } from "./session.js";

export interface StageHosts {
  stage: string;
  /** The stage's hosts that could be opened, by `hosts:` entry. */
  open: ReadonlyMap<string, Host>;
  /** The stage's hosts that could not be. */
  missed: string[];
}

/**
 * The stage's instances that a reachable host serves (`open`, by `hosts:` entry; `missed`: the
 * stage's hosts not reached): the load balancer's route of each is checked and, when missing or
 * not over the hosts' serving containers, written again. Under the workload+stage lock of every
 * reachable host, as a rollout holds them when it writes the route.
 */
export async function balancedRoutesBack(
  s: Session,
  lb: LoadBalancer,
  proxy: Proxy,
  hosts: StageHosts,
): Promise<string[]> {
  const lines: string[] = [];
  const stage = hosts.stage;
  // Nothing to read the instances from: "every route in place" would claim what nobody checked.
  if (hosts.open.size === 0 && hosts.missed.length > 0)
    return [`${s.config.project}: stage ${stage}: no host reached, its routes not checked`];
  for (const [workload, instances] of await servedInstances(s, hosts.open, stage)) {
    const restore = () => restoreEach(s, lb, proxy, hosts, instances);
    try {
      lines.push(...(await underLocks(s, [...hosts.open.values()], { workload, stage }, restore)));
    } catch (e) {
      lines.push(
        `${s.config.project}/${workload}.${stage}: load balancer routes not restored: ${errorMessage(e)}`,
      );
    }
  }
  return lines;
}

async function restoreEach(
  s: Session,
  lb: LoadBalancer,
  proxy: Proxy,
  hosts: StageHosts,
  instances: Instance[],
): Promise<string[]> {
  const lines: string[] = [];
  for (const inst of instances) {
    // Read under the locks: a deploy may have finished since the first look.
    const upstreams: Upstream[] = [];
    for (const [entry, host] of hosts.open) {
      const u = await servedBy(s, entry, host, inst);
      if (u) upstreams.push(u);
    }
    if (upstreams.length === 0) continue;
    const { hostnames } = routeOver(s, lb, inst, upstreams);
    const now = await proxy.get(hostnames[0]!);
    const { kept, notes } = keptFor(s, hosts.missed, now, upstreams);
    const { route } = routeOver(s, lb, inst, [...upstreams, ...kept]);
    if (!route || sameBalanced(now, route)) continue;
    await proxy.upsert(route);
    const to = route.upstreams!.map((u) => `${u.host}:${u.port}`).join(", ");
    const why = notes.length ? ` (${notes.join("; ")})` : "";
    lines.push(`${s.config.project}/${instanceKey(inst)}: route ${route.hostname} restored → ${to}${why}`);
  }
  return lines;
}

/**
 * What a host that could not be asked keeps: the upstreams the load balancer has at its address
 * that no reachable host claims. It may well still serve (only SSH failed); a route lost whole
 * leaves it out until a later pass or deploy can read it.
 */
function keptFor(
  s: Session,
  missed: string[],
  now: Route | undefined,
  claimed: Upstream[],
): { kept: Upstream[]; notes: string[] } {
  const kept: Upstream[] = [];
  const notes: string[] = [];
  const taken = new Set(claimed.map(dial));
  for (const entry of missed) {
    const at = publishAddress(s.config, entry, addressOf(entry));
    const theirs = (now?.upstreams ?? []).filter((u) => u.host === at && !taken.has(dial(u)));
    for (const u of theirs) taken.add(dial(u));
    kept.push(...theirs);
    notes.push(
      `${nameOf(entry)} not reached: ${theirs.length ? "its upstream kept as the load balancer had it" : "left out until it can be read"}`,
    );
  }
  return { kept, notes };
}

/** The route names the same hostnames and the same upstreams (order aside). */
function sameBalanced(now: Route | undefined, want: Route): boolean {
  if (!now?.upstreams) return false;
  const names = (r: Route) => [r.hostname, ...(r.aliases ?? [])].sort().join(" ");
  const dials = (r: Route) => (r.upstreams ?? []).map(dial).sort().join(" ");
  return names(now) === names(want) && dials(now) === dials(want);
}

/** Per workload (sorted), the stage's instances some reachable host has an active container for. */
async function servedInstances(
  s: Session,
  open: ReadonlyMap<string, Host>,
  stage: string,
): Promise<Map<string, Instance[]>> {
  const seen = new Map<string, Instance>();
  for (const host of open.values())
    for (const i of await storeFor(engineContext(s, host)).listInstances())
      if (i.stage === stage && i.active)
        seen.set(i.key, { workload: i.workload, stage, tag: i.tag ?? undefined });
  const byWorkload = new Map<string, Instance[]>();
  for (const key of [...seen.keys()].sort()) {
    const inst = seen.get(key)!;
    byWorkload.set(inst.workload, [...(byWorkload.get(inst.workload) ?? []), inst]);
  }
  return new Map([...byWorkload].sort(([a], [b]) => a.localeCompare(b)));
}

/** fn under the workload+stage lock of each host in turn (a held one: its line, fn not run). */
function underLocks(
  s: Session,
  hosts: Host[],
  pair: { workload: string; stage: string },
  fn: () => Promise<string[]>,
): Promise<string[]> {
  const [host, ...rest] = hosts;
  if (!host) return fn();
  const ctx = engineContext(s, host);
  return underLock(ctx, storeFor(ctx), pair, () => underLocks(s, rest, pair, fn));
}

const dial = (u: Upstream) => `${u.host}:${u.port}`;

function nameOf(entry: string): string {
  return targetName(parseHostTarget(entry));
}

function addressOf(entry: string): string {
  const t = parseHostTarget(entry);
  return t.kind === "local" ? "127.0.0.1" : t.host;
}
