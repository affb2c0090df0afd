// A lease per workload+stage on the host. The lock is the highest-numbered gen-N.json in its
// directory; taking it is an exclusive create of gen-(N+1), so two deployers can never both win.
// A dead holder stops heartbeating and its lease goes stale by itself: nobody has to clean up.
import { TinyforgeError } from "../errors.js";
import type { Clock } from "../ports/clock.js";
import type { HostFiles } from "../ports/host.js";

export interface Lease {
  owner: string;
  deployId: string;
  acquiredAt: string;
  /** Holder's clock; only trusted with a ttl of allowance, since clocks differ between machines. */
  expiresAt: number;
  ttlMs: number;
  beat: number;
  /** The holder is baking its release until then (holder's clock): waiters wait that much longer. */
  bakeUntil?: number;
}

export interface LockOptions {
  ttlMs: number;
  waitMs: number;
  clock: Clock;
  pollMs?: number;
  onWait?: (holder: Lease) => void;
  /** A holder that is baking is asked to end its bake (it reverts); this deploy then takes the lock. */
  cancelBake?: boolean;
}

/** The file a waiting deploy writes to ask the baking holder to end its bake (`--cancel-bake`). */
function cancelPath(dir: string): string {
  return `${dir}/cancel-bake.json`;
}

const GEN = /^gen-(\d+)\.json$/;

async function generations(files: HostFiles, dir: string): Promise<number[]> {
  return (await files.list(dir))
    .map((n) => GEN.exec(n)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
}

function parseLease(text: string | undefined): Lease | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Lease;
  } catch {
    return undefined; // a torn or foreign file is no holder
  }
}

export class HeldLock {
  private timer?: NodeJS.Timeout;
  private lostReason?: string;
  private beating: Promise<void> = Promise.resolve();

  constructor(
    private readonly files: HostFiles,
    private readonly dir: string,
    readonly generation: number,
    private lease: Lease,
    private readonly clock: Clock,
    /** The dead holder whose stale lease this one replaced: its deploy never finished. */
    readonly tookOver?: Lease,
  ) {}

  private get path(): string {
    return `${this.dir}/gen-${this.generation}.json`;
  }

  startHeartbeat(): void {
    this.timer = setInterval(
      () => {
        this.beating = this.beat();
      },
      Math.max(50, Math.floor(this.lease.ttlMs / 3)),
    );
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      const top = (await generations(this.files, this.dir))[0];
      if (top !== undefined && top > this.generation) {
        this.lostReason = `another deploy took the lock (generation ${top}) after ours went stale`;
        return;
      }
      this.lease = {
        ...this.lease,
        expiresAt: this.clock.now() + this.lease.ttlMs,
        beat: this.lease.beat + 1,
      };
      await this.files.writeAtomic(this.path, JSON.stringify(this.lease));
    } catch {
      // A missed beat is not fatal: the lease has two more before it goes stale.
    }
  }

  /** The holder bakes its release until `until` (its clock): waiters extend their wait by the rest. */
  async baking(until: number | undefined): Promise<void> {
    const { bakeUntil: _, ...rest } = this.lease;
    this.lease = until === undefined ? rest : { ...rest, bakeUntil: until };
    await this.beating;
    await this.files.writeAtomic(this.path, JSON.stringify(this.lease));
  }

  /** The deploy that asked this one to end its bake (`--cancel-bake`), if one did. */
  async bakeCancelledBy(): Promise<string | undefined> {
    const text = await this.files.read(cancelPath(this.dir)).catch(() => undefined);
    if (!text) return undefined;
    try {
      const ask = JSON.parse(text) as { holder?: string; by?: string };
      // A request left for an earlier holder is not for this bake.
      return ask.holder === this.lease.deployId ? (ask.by ?? "another deploy") : undefined;
    } catch {
      return undefined;
    }
  }

  /** Called at step boundaries: a deploy that lost its lease must not touch anything more. */
  assertHeld(): void {
    if (this.lostReason) throw new TinyforgeError("lock_lost", `deploy lock lost: ${this.lostReason}`);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    // A beat in flight would write the lease back after we removed it.
    await this.beating;
    // Side by side: a cancel request left behind names this holder, and no later one heeds it.
    await Promise.all([
      this.files.remove(this.path),
      this.files.remove(cancelPath(this.dir)).catch(() => undefined),
    ]);
  }
}

export async function acquireLock(
  files: HostFiles,
  dir: string,
  who: { owner: string; deployId: string },
  opts: LockOptions,
): Promise<HeldLock> {
  const { clock, ttlMs } = opts;
  const started = clock.now();
  // Staleness by observation: a lease whose beat has not moved for a ttl of OUR clock is dead,
  // whatever the holder's clock says.
  let seen: { gen: number; beat: number; since: number } | undefined;
  let announced = false;
  let cancelAsked = false;
  // A baking holder moves this later; never earlier than the configured wait.
  let waitUntil = started + opts.waitMs;
  for (;;) {
    const gens = await generations(files, dir);
    const top = gens[0];
    const holder = top === undefined ? undefined : parseLease(await files.read(`${dir}/gen-${top}.json`));
    if (top !== undefined && holder) {
      const now = clock.now();
      if (!seen || seen.gen !== top || seen.beat !== holder.beat)
        seen = { gen: top, beat: holder.beat, since: now };
      const stale = now - seen.since >= holder.ttlMs || now > holder.expiresAt + holder.ttlMs;
      if (!stale) {
        if (holder.bakeUntil !== undefined && opts.cancelBake && !cancelAsked) {
          cancelAsked = true;
          await files.writeAtomic(
            cancelPath(dir),
            JSON.stringify({ holder: holder.deployId, by: who.deployId }),
          );
        }
        // A baking holder keeps the lock for the rest of its bake: that time is added to the wait.
        // Its clock is not ours: the rest is measured on its clock (expiresAt - ttl is its "now").
        if (holder.bakeUntil !== undefined) {
          const bakeLeft = Math.max(0, holder.bakeUntil - (holder.expiresAt - holder.ttlMs));
          waitUntil = Math.max(waitUntil, now + bakeLeft + opts.waitMs);
        }
        if (now >= waitUntil) {
          throw new TinyforgeError(
            "lock_held",
            `another deploy holds the lock: ${holder.owner}, deploy ${holder.deployId}, since ${holder.acquiredAt}`,
            {
              hint: "wait for it to finish, or if its process is gone, `tinyforge unlock WORKLOAD --stage S` (it also expires by itself)",
            },
          );
        }
        if (!announced) opts.onWait?.(holder);
        announced = true;
        await clock.sleep(opts.pollMs ?? 500);
        continue;
      }
    }
    const gen = (top ?? 0) + 1;
    const lease: Lease = {
      ...who,
      acquiredAt: new Date(clock.now()).toISOString(),
      expiresAt: clock.now() + ttlMs,
      ttlMs,
      beat: 0,
    };
    if (await files.createExclusive(`${dir}/gen-${gen}.json`, JSON.stringify(lease))) {
      for (const g of gens) await files.remove(`${dir}/gen-${g}.json`).catch(() => undefined);
      const held = new HeldLock(files, dir, gen, lease, clock, holder);
      held.startHeartbeat();
      return held;
    }
    // Lost the race for this generation: look again.
  }
}

/** The lease that holds the lock now (the highest generation), if any: the one reader of leases. */
export async function currentLease(files: HostFiles, dir: string): Promise<Lease | undefined> {
  const top = (await generations(files, dir))[0];
  return top === undefined ? undefined : parseLease(await files.read(`${dir}/gen-${top}.json`));
}

/** A lease is alive until it has gone a ttl past its expiry (clocks differ between machines). */
export function leaseAlive(lease: Lease, now: number): boolean {
  return lease.expiresAt + lease.ttlMs > now;
}

/** The top lease's path when it is still `deployId`'s (checked after a lost connection). */
export async function ourLease(files: HostFiles, dir: string, deployId: string): Promise<string | undefined> {
  const top = (await generations(files, dir))[0];
  if (top === undefined) return undefined;
  const path = `${dir}/gen-${top}.json`;
  return parseLease(await files.read(path))?.deployId === deployId ? path : undefined;
}

/** Removes every lease of a workload+stage; for an operator who knows the holder is gone. */
export async function forceUnlock(files: HostFiles, dir: string): Promise<Lease | undefined> {
  const gens = await generations(files, dir);
  const holder =
    gens[0] === undefined ? undefined : parseLease(await files.read(`${dir}/gen-${gens[0]}.json`));
  for (const g of gens) await files.remove(`${dir}/gen-${g}.json`);
  return holder;
}
