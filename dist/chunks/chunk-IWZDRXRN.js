import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);

// src/deploy/history.ts
async function history(store, q) {
  const out = [];
  for (const id of await store.listDeployIds()) {
    if (q.before && id >= q.before) continue;
    const rec = await store.readDeploy(id);
    if (!rec || q.workload && rec.workload !== q.workload || q.stage && rec.stage !== q.stage) continue;
    out.push(rec);
    if (out.length >= q.limit) break;
  }
  return out;
}
async function stillRunning(store, rec) {
  if (rec.outcome !== "running") return false;
  const dir = store.lockDir(rec.workload, rec.stage);
  for (const name of (await store.files.list(dir)).reverse()) {
    const text = await store.files.read(`${dir}/${name}`);
    if (!text) continue;
    try {
      const lease = JSON.parse(text);
      return lease.deployId === rec.deployId && lease.expiresAt + lease.ttlMs > Date.now();
    } catch {
      return false;
    }
  }
  return false;
}
function eventLine(e) {
  return `${e.ts} ${e.level.padEnd(5)} ${e.step.padEnd(13)} ${e.msg}`;
}

export {
  history,
  stillRunning,
  eventLine
};
