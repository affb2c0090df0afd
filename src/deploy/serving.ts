// The container that serves an instance, as its state file says: what logs and exec act on.
import { TinyforgeError } from "../errors.js";
import { instanceKey } from "../plan/names.js";
import type { Release } from "../state/model.js";
import type { Store } from "../state/store.js";
import type { EngineContext } from "./types.js";

export interface InstanceRef {
  workload: string;
  stage: string;
  tag?: string;
}

export function describe(who: InstanceRef): string {
  return `${who.workload} in ${who.stage}${who.tag ? ` (${who.tag})` : ""}`;
}

export async function servingRelease(ctx: EngineContext, store: Store, who: InstanceRef): Promise<Release> {
  const state = await store.readInstance(instanceKey(who));
  const active = state?.active;
  if (!active) {
    throw new TinyforgeError("not_found", `nothing serves ${describe(who)} on ${ctx.host.name}`, {
      hint: "deploy it first (tinyforge deploy), or check --stage/--tag with tinyforge status",
    });
  }
  if (!(await ctx.host.docker.inspect(active.containerId))) {
    throw new TinyforgeError(
      "not_found",
      `${active.container} (serving ${describe(who)}) is gone from ${ctx.host.name}`,
      { hint: "tinyforge reconcile puts the host right; then deploy again" },
    );
  }
  return active;
}
