// One workload to every host of a stage as one release: one deploy id; the hosts in parallel
// (at most `rollout.parallel` pulling, building and gating at once); no route moves until every
// green passed its gate, and a host whose swap fails sends the others back (src/deploy/rollout.ts).
// `rollout.batch` rolls batches instead, each all or nothing, a failed batch ending the rollout.
import { deploy } from "../deploy/deploy.js";
import { newDeployId } from "../deploy/plan.js";
import { rollback } from "../deploy/rollback.js";
import { Rendezvous, type RolloutPeer, Slots } from "../deploy/rollout.js";
import type { DeployRequest, DeployResult, EngineContext } from "../deploy/types.js";
import { errorMessage } from "../errors.js";
import type { Host } from "../ports/host.js";
import type { DeployOp, RollbackOp } from "./operation.js";
import { balance, hostConfig, instancesOn } from "./balance.js";
import { RolloutReport } from "./rollout-report.js";
import { type Session, withHost } from "./session.js";

/** What one host's deploy needs from the caller: its engine context (observers attached). */
export type ContextFor = (host: Host) => EngineContext;

export interface RolloutAsk {
  op: DeployOp | RollbackOp;
  workload: string;
  stage: string;
  hosts: readonly string[];
  /** The id the deploy runs under (announced ahead by the bot); default: a new one. */
  deployId?: string;
  /** The stage is frozen and the operation overrides it (`--force`). */
  forced?: DeployRequest["forced"];
}

/** The rollout's results, one per host that ran; stops at the first batch that did not succeed. */
export async function rollOut(s: Session, ask: RolloutAsk, contextFor: ContextFor): Promise<DeployResult[]> {
  const deployId = ask.deployId ?? newDeployId();
  const { batch } = s.config.rollout;
  const batches = batch ? chunks(ask.hosts, batch) : [ask.hosts];
  const results: DeployResult[] = [];
  for (const hosts of batches) {
    const got = await allOrNothing(s, { ...ask, hosts }, deployId, contextFor);
    results.push(...got);
    if (got.length < hosts.length || got.some((r) => r.outcome === "failed")) break;
  }
  return results;
}

/** One batch: every host gated before any swap, every swap or none. */
async function allOrNothing(
  s: Session,
  ask: RolloutAsk,
  deployId: string,
  contextFor: ContextFor,
): Promise<DeployResult[]> {
  const { hosts } = ask;
  const inst = { workload: ask.workload, stage: ask.stage, tag: ask.op.tag };
  // The hosts' connections while they wait at the meeting points: the load balancer reads them.
  const open = new Map<string, Host>();
  let balanced = false;
  // The stage's other instances, seen before max_instances may evict some of them.
  const others = new Set<string | undefined>();
  const evicts =
    s.config.stages[ask.stage]?.max_instances !== undefined ||
    s.config.workloads[ask.workload]?.max_instances !== undefined;
  const lb = s.config.load_balancer
    ? async () => {
        const { note } = await balance(s, inst, open);
        balanced = true;
        if (evicts)
          for (const host of open.values())
            for (const tag of await instancesOn(s, host, ask.workload, ask.stage))
              if (tag !== inst.tag) others.add(tag);
        return note;
      }
    : undefined;
  // One host and no load balancer: the plain deploy, with no meeting points to wait at.
  const meet = hosts.length > 1 || lb ? new Rendezvous(hosts, lb) : undefined;
  const slots = new Slots(s.config.rollout.parallel ?? hosts.length);
  let report: RolloutReport | undefined;
  const results = new Map<string, DeployResult>();
  let thrown: unknown;

  const names = new Map<string, string>();
  const one = async (entry: string): Promise<void> => {
    await slots.take();
    let slot = true;
    const giveBack = () => {
      if (slot) slots.give();
      slot = false;
    };
    try {
      // A host not yet started when another failed does not start at all.
      if (meet?.failed) return;
      const r = await withHost(s, entry, (host) => {
        names.set(entry, host.name);
        open.set(entry, host);
        const ctx = contextFor(host);
        ctx.config = hostConfig(ctx.config, entry);
        report ??= new RolloutReport(ctx.hooks ?? [], hosts);
        ctx.hooks = report.viewFor(entry, host.name);
        if (meet) ctx.rollout = releasing(meet.peer(entry), giveBack);
        return runOne(ctx, ask, deployId).finally(() => open.delete(entry));
      });
      results.set(entry, r);
      if (r.outcome === "failed") meet?.fail(entry, `${r.host}: ${r.error?.message ?? "failed"}`);
      else meet?.done(entry);
    } catch (e) {
      meet?.fail(entry, `${names.get(entry) ?? entry}: ${errorMessage(e)}`);
      thrown ??= e;
    } finally {
      giveBack();
      await report?.settled(entry);
    }
  };

  await Promise.all(hosts.map(one));
  // Lock held, unreachable, a lost connection: surfaced as themselves, as for one host.
  if (thrown) throw thrown;
  const got = hosts.flatMap((h) => results.get(h) ?? []);
  // A release that never met at the swap (recreate, a rollback, an unchanged SHA, an eviction on
  // one host): the load balancer is brought in line now. Idempotent: an unchanged route is left be.
  if (lb && !balanced && got.length === hosts.length && got.every((r) => r.outcome !== "failed"))
    await balance(s, inst);
  // An evicted instance (max_instances) leaves the load balancer too; the others keep their route.
  if (others.size > 0 && got.some((r) => r.outcome === "success")) {
    const left = new Set<string | undefined>();
    for (const entry of hosts)
      await withHost(s, entry, async (host) => {
        for (const tag of await instancesOn(s, host, ask.workload, ask.stage)) left.add(tag);
      });
    for (const tag of others) if (!left.has(tag)) await balance(s, { ...inst, tag }).catch(() => undefined);
  }
  return got;
}

function runOne(ctx: EngineContext, ask: RolloutAsk, deployId: string): Promise<DeployResult> {
  const { op, workload, stage } = ask;
  const forced = ask.forced ? { forced: ask.forced } : {};
  if (op.kind === "rollback")
    return rollback(ctx, { workload, stage, tag: op.tag, to: op.to, deployId, ...forced });
  return deploy(ctx, {
    workload,
    stage,
    sha: op.sha,
    ...(op.dirty ? { dirty: true } : {}),
    ref: op.ref,
    tag: op.tag,
    strategy: op.strategy,
    trigger: op.trigger,
    ...(op.kind === "deploy" && op.thread ? { thread: op.thread } : {}),
    ...(op.cancelBake ? { cancelBake: true } : {}),
    deployId,
    ...forced,
  });
}

/** The peer, giving the host's slot back while it waits for the others to pass their gates. */
function releasing(peer: RolloutPeer, giveBack: () => void): RolloutPeer {
  return {
    gated: () => {
      giveBack();
      return peer.gated();
    },
    swapped: () => peer.swapped(),
  };
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
