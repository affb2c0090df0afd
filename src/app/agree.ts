// Several hosts are one release, also after a deploy that died halfway through its rollout (a
// killed process, a lost runner): some hosts may have swapped, the others not. Each host's own
// reconcile puts that host right; this pass then finds instances whose hosts serve different
// releases and rolls the hosts whose release came from a deploy that never finished back to the
// release the others serve — the one the unfinished rollout was replacing.
import { storeFor } from "../deploy/deploy.js";
import { rollback } from "../deploy/rollback.js";
import { errorMessage } from "../errors.js";
import type { InstanceState, Release } from "../state/model.js";
import { engineContext, type Session, withHost } from "./session.js";
import { stageHosts } from "./stages.js";

interface Seen {
  entry: string;
  name: string;
  state: InstanceState;
  /** The serving release's deploy finished (success); false: interrupted, failed or unknown. */
  finished: boolean;
}

/** Lines saying which hosts were brought back to the release the others serve. */
export async function agreeAcrossHosts(s: Session): Promise<string[]> {
  const lines: string[] = [];
  for (const stage of Object.keys(s.config.stages)) {
    const hosts = stageHosts(s.config, stage);
    if (hosts.length < 2) continue;
    const byKey = new Map<string, Seen[]>();
    for (const entry of hosts) {
      await withHost(s, entry, async (host) => {
        const store = storeFor(engineContext(s, host));
        for (const state of await store.listInstances()) {
          if (state.stage !== stage || !state.active) continue;
          const rec = await store.readDeploy(state.active.deployId);
          const seen = { entry, name: host.name, state, finished: rec?.outcome === "success" };
          byKey.set(state.key, [...(byKey.get(state.key) ?? []), seen]);
        }
      });
    }
    for (const seen of byKey.values()) lines.push(...(await agree(s, seen)));
  }
  return lines;
}

const releaseId = (r: Release) => r.origin ?? r.deployId;

async function agree(s: Session, seen: Seen[]): Promise<string[]> {
  const ids = new Set(seen.map((x) => releaseId(x.state.active!)));
  if (ids.size < 2) return [];
  const { workload, stage, tag } = seen[0]!.state;
  const where = `${workload} in ${stage}${tag ? ` (${tag})` : ""}`;
  // The release the hosts agreed on before: the one served by hosts whose deploy finished.
  const target = mostServed(seen.filter((x) => x.finished));
  if (!target)
    return [`${where}: the hosts serve different releases and none finished its deploy: deploy again`];
  const lines: string[] = [];
  for (const x of seen) {
    if (releaseId(x.state.active!) === target) continue;
    try {
      const r = await withHost(s, x.entry, (host) => {
        const ctx = engineContext(s, host, { workload, stage });
        // Putting hosts back in line is not a deploy anyone asked to hear about.
        ctx.hooks = [];
        return rollback(ctx, { workload, stage, tag: tag ?? undefined, to: target });
      });
      lines.push(
        r.outcome === "success"
          ? `${x.name}: ${where} back to ${target} (${r.sha.slice(0, 12)}), the release the other hosts serve: the deploy of ${x.state.active!.deployId} did not finish on every host`
          : `${x.name}: ${where} could not go back to ${target}: ${r.error?.message ?? "failed"}`,
      );
    } catch (e) {
      lines.push(`${x.name}: ${where} could not go back to ${target}: ${errorMessage(e)}`);
    }
  }
  return lines;
}

function mostServed(seen: Seen[]): string | undefined {
  const count = new Map<string, number>();
  for (const x of seen) {
    const id = releaseId(x.state.active!);
    count.set(id, (count.get(id) ?? 0) + 1);
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
