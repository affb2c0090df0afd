import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  history
} from "./chunk-IWZDRXRN.js";
import {
  storeFor
} from "./chunk-D2GHFZ23.js";

// src/deploy/status.ts
async function status(ctx, filter) {
  const instances = await storeFor(ctx).listInstances();
  const out = [];
  for (const i of instances) {
    if (filter.workload && i.workload !== filter.workload) continue;
    if (filter.stage && i.stage !== filter.stage) continue;
    const a = i.active;
    const info = a ? await ctx.host.docker.inspect(a.containerId) : void 0;
    out.push({
      host: ctx.host.name,
      workload: i.workload,
      stage: i.stage,
      tag: i.tag ?? null,
      sha: a?.sha ?? null,
      ...a?.dirty ? { dirty: true } : {},
      container: a?.container ?? null,
      state: !a ? "none" : !info ? "missing" : info.running ? "running" : "stopped",
      url: a?.url ?? null,
      deployId: a?.deployId ?? null,
      deployedAt: a?.deployedAt ?? null,
      releases: (a ? 1 : 0) + i.previous.length
    });
  }
  return out;
}
async function lastDeploy(ctx, filter) {
  return (await history(storeFor(ctx), { ...filter, limit: 1 }))[0];
}

export {
  status,
  lastDeploy
};
