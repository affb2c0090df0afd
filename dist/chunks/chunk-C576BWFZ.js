import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  acquireLock,
  ulid
} from "./chunk-D2GHFZ23.js";

// src/deploy/locked.ts
async function withLock(ctx, store, scope, fn) {
  const lock = await acquireLock(
    store.files,
    store.lockDir(scope.workload, scope.stage),
    { owner: ctx.owner, deployId: scope.opId ?? ulid() },
    { ttlMs: ctx.lockTtlMs, waitMs: ctx.config.lock_timeout, clock: ctx.clock }
  );
  try {
    return await fn(lock);
  } finally {
    await lock.release().catch(() => void 0);
  }
}

export {
  withLock
};
