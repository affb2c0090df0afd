// Rollback: a deploy of an earlier release — its kept image, the same gate, the same swap —
// recorded in history as `kind: rollback` with where it went from and to. By default it goes to
// the release deployed before the serving one, so repeated rollbacks walk back instead of
// toggling between two; `to` aims at any release whose image is still kept (keep_releases).
import { TinyforgeError } from "../errors.js";
import { instanceKey } from "../plan/names.js";
import type { InstanceState, Release, ReleaseRef } from "../state/model.js";
import { composeDirOf } from "./compose-dir.js";
import { deploy, storeFor } from "./deploy.js";
import type { DeployRequest, DeployResult, EngineContext } from "./types.js";

export interface RollbackRequest {
  workload: string;
  stage: string;
  tag?: string;
  /** A deploy id or a SHA (or a prefix of either, ≥ 7 characters) of a kept release. */
  to?: string;
  /** The id this rollback runs under (several hosts share one); default: a new one. */
  deployId?: string;
  /** The stage is frozen and this rollback overrides it (`--force`). */
  forced?: DeployRequest["forced"];
}

/** The deploy that first built a release: a rollback to it keeps its place in the order. */
export function originOf(r: Release): string {
  return r.origin ?? r.deployId;
}

function refOf(r: Release): ReleaseRef {
  return { deployId: originOf(r), sha: r.sha };
}

function describe(r: Release): string {
  return `${originOf(r)} (${r.sha.slice(0, 12)}${r.dirty ? ", dirty" : ""}, ${r.deployedAt.slice(0, 16).replace("T", " ")})`;
}

/** Which kept release a rollback goes to; an error naming the kept ones when there is none. */
export function rollbackTarget(state: InstanceState | undefined, req: RollbackRequest): Release {
  const where = `${req.workload} in ${req.stage}${req.tag ? ` (${req.tag})` : ""}`;
  const active = state?.active;
  if (!state || !active) {
    throw new TinyforgeError("usage", `nothing serves ${where}: there is nothing to roll back`, {
      hint: "deploy a SHA with --sha to go anywhere",
    });
  }
  const kept = state.previous;
  const keptList = kept.length ? `kept: ${kept.map(describe).join(", ")}` : "no earlier release is kept";
  let target: Release | undefined;
  if (req.to) {
    const to = req.to.toLowerCase();
    const matches = (r: Release) =>
      originOf(r).toLowerCase() === to ||
      r.deployId.toLowerCase() === to ||
      (to.length >= 7 && r.sha.startsWith(to));
    if (matches(active)) {
      throw new TinyforgeError("usage", `${req.to} already serves ${where}`, { details: [keptList] });
    }
    target = kept.find(matches);
    if (!target) {
      throw new TinyforgeError("usage", `${req.to} is not a kept release of ${where}`, {
        details: [keptList],
        hint: "only releases whose images are kept can be rolled back to (keep_releases); deploy an older SHA with --sha",
      });
    }
    return target;
  }
  // The newest kept release deployed before the serving one, in the order they were first deployed.
  target = kept
    .filter((r) => originOf(r) < originOf(active))
    .sort((a, b) => originOf(b).localeCompare(originOf(a)))[0];
  if (!target) {
    throw new TinyforgeError(
      "usage",
      `${where} has no kept release older than the serving one (${describe(active)})`,
      {
        details: [keptList],
        hint: "roll forward with --to DEPLOY_ID, or deploy a SHA with --sha",
      },
    );
  }
  return target;
}

export async function rollback(ctx: EngineContext, req: RollbackRequest): Promise<DeployResult> {
  const state = await storeFor(ctx).readInstance(instanceKey(req));
  const target = rollbackTarget(state, req);
  const composeDir = composeDirOf(target);
  return deploy(ctx, {
    workload: req.workload,
    stage: req.stage,
    tag: req.tag,
    sha: target.sha,
    release: { image: target.image, ...(composeDir ? { composeDir } : {}) },
    ...(target.dirty ? { dirty: true } : {}),
    trigger: "rollback",
    ...(req.deployId ? { deployId: req.deployId } : {}),
    origin: originOf(target),
    rollback: { from: refOf(state!.active!), to: refOf(target) },
    ...(req.forced ? { forced: req.forced } : {}),
  });
}
