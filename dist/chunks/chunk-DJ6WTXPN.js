import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  deploy,
  storeFor
} from "./chunk-D2GHFZ23.js";
import {
  instanceKey
} from "./chunk-TF2T74O4.js";
import {
  TinyforgeError
} from "./chunk-PKG5PH2D.js";

// src/deploy/rollback.ts
function originOf(r) {
  return r.origin ?? r.deployId;
}
function refOf(r) {
  return { deployId: originOf(r), sha: r.sha };
}
function describe(r) {
  return `${originOf(r)} (${r.sha.slice(0, 12)}${r.dirty ? ", dirty" : ""}, ${r.deployedAt.slice(0, 16).replace("T", " ")})`;
}
function rollbackTarget(state, req) {
  const where = `${req.workload} in ${req.stage}${req.tag ? ` (${req.tag})` : ""}`;
  const active = state?.active;
  if (!state || !active) {
    throw new TinyforgeError("usage", `nothing serves ${where}: there is nothing to roll back`, {
      hint: "deploy a SHA with --sha to go anywhere"
    });
  }
  const kept = state.previous;
  const keptList = kept.length ? `kept: ${kept.map(describe).join(", ")}` : "no earlier release is kept";
  let target;
  if (req.to) {
    const to = req.to.toLowerCase();
    const matches = (r) => originOf(r).toLowerCase() === to || r.deployId.toLowerCase() === to || to.length >= 7 && r.sha.startsWith(to);
    if (matches(active)) {
      throw new TinyforgeError("usage", `${req.to} already serves ${where}`, { details: [keptList] });
    }
    target = kept.find(matches);
    if (!target) {
      throw new TinyforgeError("usage", `${req.to} is not a kept release of ${where}`, {
        details: [keptList],
        hint: "only releases whose images are kept can be rolled back to (keep_releases); deploy an older SHA with --sha"
      });
    }
    return target;
  }
  target = kept.filter((r) => originOf(r) < originOf(active)).sort((a, b) => originOf(b).localeCompare(originOf(a)))[0];
  if (!target) {
    throw new TinyforgeError(
      "usage",
      `${where} has no kept release older than the serving one (${describe(active)})`,
      {
        details: [keptList],
        hint: "roll forward with --to DEPLOY_ID, or deploy a SHA with --sha"
      }
    );
  }
  return target;
}
async function rollback(ctx, req) {
  const state = await storeFor(ctx).readInstance(instanceKey(req));
  const target = rollbackTarget(state, req);
  return deploy(ctx, {
    workload: req.workload,
    stage: req.stage,
    tag: req.tag,
    sha: target.sha,
    image: target.image,
    ...target.dirty ? { dirty: true } : {},
    trigger: "rollback",
    origin: originOf(target),
    rollback: { from: refOf(state.active), to: refOf(target) }
  });
}

export {
  rollback
};
