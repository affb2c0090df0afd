// Image retention: a workload's built images are kept while a release of any stage still needs
// them (the active one and the last keep_releases for rollback); older ones are removed so a host
// that deploys every push does not fill its disk.
import { own } from "../config/lookup.js";
import { errorMessage } from "../errors.js";
import type { Store } from "../state/store.js";
import { builtImageRepo } from "./image.js";
import type { EngineContext } from "./types.js";

export async function pruneImages(ctx: EngineContext, store: Store, workload: string): Promise<string[]> {
  const w = own(ctx.config.workloads, workload);
  // Pulled images are the registry's to keep; only images we built are ours to remove.
  if (!w || w.source === "image" || w.source === "compose") return [];
  const repo = builtImageRepo(ctx.config.project, workload);
  const keep = new Set<string>();
  for (const s of await store.listInstances()) {
    if (s.workload !== workload) continue;
    for (const r of [s.active, ...s.previous.slice(0, w.keep_releases)]) if (r) keep.add(r.image);
  }
  const removed: string[] = [];
  for (const tag of await ctx.host.docker.listImageTags(repo)) {
    if (keep.has(tag)) continue;
    try {
      await ctx.host.docker.removeImage(tag);
      removed.push(tag);
    } catch (e) {
      // In use by a container we do not know of, or removed meanwhile: leave it.
      removed.push(`${tag} kept (${errorMessage(e)})`);
    }
  }
  return removed;
}
