// `reconcile --routes`: the routes proxies lost, put back from the hosts' state; no container is
// touched. First each host's own proxy (src/deploy/restore-routes.ts), then the load balancer's
// route of every instance of this project that a host serves (restore-balanced.ts). Only what is
// missing or drifted is written, never a route removed: tearing down is `reconcile`'s. A host
// that cannot be reached is said and passed over instead of ending the pass (the command still
// exits 4): the hook runs when a proxy restarted, and the other hosts' routes are needed then.
import { parseHostTarget, targetName } from "../adapters/ssh-target.js";
import { restoreRoutes } from "../deploy/restore-routes.js";
import { EXIT, errorMessage, isTinyforgeError } from "../errors.js";
import type { Host } from "../ports/host.js";
import { withLoadBalancer } from "./balance.js";
import type { HostLines } from "./operation.js";
import { balancedRoutesBack } from "./restore-balanced.js";
import { engineContext, type Session, withHost } from "./session.js";
import { allHosts, stageHosts } from "./stages.js";

/** The `hosts:` entries this pass could not open, and why: each is tried once. */
type Unreached = Map<string, string>;

/** Every host's proxy routes, then the load balancer's; a row per host and one for the load balancer. */
export async function restoreAllRoutes(s: Session): Promise<HostLines[]> {
  const out: HostLines[] = [];
  const unreached: Unreached = new Map();
  const hosts = allHosts(s.config);
  for (const entry of hosts) {
    const row = await reaching(entry, unreached, (opened) =>
      withHost(s, entry, async (host) => {
        opened();
        return { host: host.name, lines: await restoreRoutes(engineContext(s, host)) };
      }),
    );
    out.push(row ?? notReached(nameOf(entry), unreached.get(entry)!));
  }
  const lb = s.config.load_balancer;
  if (lb) {
    const lines = await reaching(lb.host, unreached, (opened) =>
      withLoadBalancer(s, lb, async (proxy) => {
        opened();
        const lines: string[] = [];
        for (const stage of Object.keys(s.config.stages)) {
          const entries = stageHosts(s.config, stage);
          await withReachable(s, entries, unreached, async (open) => {
            const missed = entries.filter((e) => unreached.has(e));
            lines.push(...(await balancedRoutesBack(s, lb, proxy, { stage, open, missed })));
          });
        }
        return lines;
      }),
    );
    out.push(lines ? { host: "load balancer", lines } : notReached("load balancer", unreached.get(lb.host)!));
  }
  // A host that answered the first pass and not the second is still one not reached (exit 4).
  for (const [entry, why] of unreached)
    if (hosts.includes(entry) && !out.some((r) => r.unreached && r.host === nameOf(entry)))
      out.push(notReached(nameOf(entry), why, "for the load balancer's routes"));
  return out;
}

function notReached(host: string, why: string, what = "its routes not checked"): HostLines {
  return { host, lines: [`not reached, ${what}: ${why}`], unreached: true };
}

/** fn with every one of `entries` that opens, by entry; the others are recorded in `unreached`. */
async function withReachable(
  s: Session,
  entries: readonly string[],
  unreached: Unreached,
  fn: (open: ReadonlyMap<string, Host>) => Promise<void>,
  open = new Map<string, Host>(),
): Promise<void> {
  const [entry, ...rest] = entries;
  if (entry === undefined) return fn(open);
  const next = () => withReachable(s, rest, unreached, fn, open);
  if (open.has(entry)) return next();
  const ran = await reaching(entry, unreached, (opened) =>
    withHost(s, entry, async (host) => {
      opened();
      open.set(entry, host);
      try {
        await next();
      } finally {
        open.delete(entry);
      }
      return true;
    }),
  );
  if (!ran) await next();
}

/**
 * What `run` returns, or undefined when `entry` cannot be opened (exit 4's errors: unreachable,
 * refused login, unknown host key, timeout), recorded in `unreached`. `run` calls `opened` once
 * it has its connection: an error after that is its own, thrown as ever.
 */
async function reaching<T>(
  entry: string,
  unreached: Unreached,
  run: (opened: () => void) => Promise<T>,
): Promise<T | undefined> {
  if (unreached.has(entry)) return undefined;
  let opened = false;
  try {
    return await run(() => {
      opened = true;
    });
  } catch (e) {
    if (opened || !isTinyforgeError(e) || e.exitCode !== EXIT.unreachable) throw e;
    unreached.set(entry, errorMessage(e));
    return undefined;
  }
}

function nameOf(entry: string): string {
  return targetName(parseHostTarget(entry));
}
