// The load balancer (load_balancer:): one route on its own host lists every stage host's serving
// container as an upstream, and the proxy checks them itself so a dead host drops out. The route
// is written by a pure upsert once every host swapped and persisted green, before any blue is
// reaped (rollout.ts), so the load balancer never names a removed container; after a teardown or
// an eviction it is written again, and removed when no host serves the instance any more.
import { proxyFor } from "../adapters/proxy/index.js";
import type { Config } from "../config/schema.js";
import { storeFor } from "../deploy/deploy.js";
import type { Host } from "../ports/host.js";
import type { Route, RouteNote, Upstream } from "../ports/proxy.js";
import { balancedRoute, type LoadBalancer, lbProxy, publishAddress } from "../plan/balance.js";
import { routeHostnames } from "../plan/hostnames.js";
import { instanceKey } from "../plan/names.js";
import { engineContext, type Session, withHost } from "./session.js";
import { stageHosts } from "./stages.js";

export interface Instance {
  workload: string;
  stage: string;
  tag?: string;
}

/** The config a host's deploy runs with: its containers publish on its private address. */
export function hostConfig(config: Config, entry: string): Config {
  const lb = config.load_balancer;
  if (!lb || !Object.hasOwn(lb.private_addresses, entry)) return config;
  return { ...config, publish_ip: lb.private_addresses[entry]! };
}

/**
 * Points the load balancer's route at every host that serves the instance (removes it when none
 * does). `open` are hosts already connected (a rollout's); the others are opened here. Returns
 * the route written (none when there is no load balancer or nothing serves) and what the proxy
 * noted about the upsert (nginx: its previous workers), for the deploys' journals.
 */
export async function balance(
  s: Session,
  inst: Instance,
  open: ReadonlyMap<string, Host> = new Map(),
): Promise<{ route: Route | undefined; note: RouteNote | undefined }> {
  const lb = s.config.load_balancer;
  if (!lb) return { route: undefined, note: undefined };
  const upstreams: Upstream[] = [];
  for (const entry of stageHosts(s.config, inst.stage)) {
    const read = (host: Host) => servedBy(s, entry, host, inst);
    const got = open.has(entry) ? await read(open.get(entry)!) : await withHost(s, entry, read);
    if (got) upstreams.push(got);
  }
  const { hostnames, route } = routeOver(s, lb, inst, upstreams);
  let note: RouteNote | undefined;
  await withLoadBalancer(s, lb, async (proxy) => {
    if (route) note = (await proxy.upsert(route)) ?? undefined;
    else await proxy.remove(hostnames[0]!);
  });
  return { route, note };
}

/** The instance's hostnames, and the load balancer's route for it over these upstreams (none without any). */
export function routeOver(
  s: Session,
  lb: LoadBalancer,
  inst: Instance,
  upstreams: Upstream[],
): { hostnames: string[]; route: Route | undefined } {
  const hostnames = routeHostnames(s.config, { project: s.config.project, ...inst });
  const w = s.config.workloads[inst.workload];
  return { hostnames, route: balancedRoute(lb, hostnames, upstreams, w?.healthcheck?.path) };
}

/** Where the load balancer reaches this host's serving container, if the host serves the instance. */
export async function servedBy(
  s: Session,
  entry: string,
  host: Host,
  inst: Instance,
): Promise<Upstream | undefined> {
  const state = await storeFor(engineContext(s, host)).readInstance(instanceKey(inst));
  const port = state?.active?.hostPort;
  if (port === undefined) return undefined;
  return { host: publishAddress(s.config, entry, host.address), port };
}

/** Runs fn with the load balancer's proxy, over one connection to its host. */
export async function withLoadBalancer<T>(
  s: Session,
  lb: LoadBalancer,
  fn: (proxy: ReturnType<typeof proxyFor>) => Promise<T>,
): Promise<T> {
  const p = s.credentials.proxy;
  return withHost(s, lb.host, (host) =>
    fn(proxyFor(lbProxy(lb), host, { proxyUser: p.user, proxyPassword: p.password, proxyToken: p.token })),
  );
}

/** The tags of a workload's instances in a stage on this host (undefined: the untagged one). */
export async function instancesOn(s: Session, host: Host, workload: string, stage: string) {
  const all = await storeFor(engineContext(s, host)).listInstances();
  return all.filter((i) => i.workload === workload && i.stage === stage).map((i) => i.tag ?? undefined);
}

/**
 * Every instance any stage host has state for gets its load balancer route from that state: what
 * `reconcile` ends with (a rollout killed before or after its route moved, hosts put back in line).
 */
export async function balanceAll(s: Session): Promise<string[]> {
  if (!s.config.load_balancer) return [];
  const lines: string[] = [];
  for (const stage of Object.keys(s.config.stages)) {
    const seen = new Map<string, Instance>();
    for (const entry of stageHosts(s.config, stage))
      await withHost(s, entry, async (host) => {
        for (const i of await storeFor(engineContext(s, host)).listInstances())
          if (i.stage === stage) seen.set(i.key, { workload: i.workload, stage, tag: i.tag ?? undefined });
      });
    for (const inst of seen.values()) {
      const { route } = await balance(s, inst);
      const name = routeHostnames(s.config, { project: s.config.project, ...inst })[0];
      lines.push(
        `${name}: ${route ? `${route.upstreams?.length ?? 0} host(s)` : "no host serves it, route removed"}`,
      );
    }
  }
  return lines;
}
