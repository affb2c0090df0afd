// Runs an operation on one workload+stage under its deploy lock (the same lease deploys take), so
// teardown, rollback and reconcile never interleave with a deploy.
import { ulid } from "ulid";
import type { Store } from "../state/store.js";
import { acquireLock, type HeldLock } from "./lock.js";
import type { EngineContext } from "./types.js";

export async function withLock<T>(
  ctx: EngineContext,
  store: Store,
  scope: { workload: string; stage: string; opId?: string },
  /** Gets the lock: `lock.tookOver` names a dead holder whose deploy never finished. */
  fn: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireLock(
    store.files,
    store.lockDir(scope.workload, scope.stage),
    { owner: ctx.owner, deployId: scope.opId ?? ulid() },
    { ttlMs: ctx.lockTtlMs, waitMs: ctx.config.lock_timeout, clock: ctx.clock },
  );
  try {
    return await fn(lock);
  } finally {
    await lock.release().catch(() => undefined);
  }
}
