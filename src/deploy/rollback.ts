// Rollback: a deploy of the previous release — its kept image, the same gate, the same swap —
// recorded in history as a deploy of its own (trigger "rollback").
import { TinyforgeError } from "../errors.js";
import { instanceKey } from "../plan/names.js";
import { deploy, storeFor } from "./deploy.js";
import type { DeployResult, EngineContext } from "./types.js";

export async function rollback(
  ctx: EngineContext,
  req: { workload: string; stage: string; tag?: string },
): Promise<DeployResult> {
  const state = await storeFor(ctx).readInstance(instanceKey(req));
  const target = state?.previous[0];
  if (!target) {
    throw new TinyforgeError(
      "usage",
      `${req.workload} in ${req.stage}${req.tag ? ` (${req.tag})` : ""} has no earlier release to roll back to`,
      {
        hint: "tinyforge history shows what was deployed; deploy a SHA with --sha to go anywhere",
      },
    );
  }
  return deploy(ctx, { ...req, sha: target.sha, image: target.image, trigger: "rollback" });
}
