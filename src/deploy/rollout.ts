// Several hosts deployed as one release. Each host's deploy runs its own straight-line procedure
// and meets the others at two points: after its green passed the gate (no route moves until every
// green did) and after its swap was persisted (a host whose swap failed sends the others back on
// blue, which still runs until the drain ends). A failure anywhere, before or at a meeting point,
// fails every wait still pending or yet to come, so no host moves on alone.
import { TinyforgeError } from "../errors.js";
import type { RouteNote } from "../ports/proxy.js";

/** Where one host's deploy waits for the others (EngineContext.rollout). */
export interface RolloutPeer {
  /** Green passed its gate on this host: resolves when every host's did, throws when one failed. */
  gated(): Promise<void>;
  /**
   * This host serves green and persisted it: resolves when every host did (with what the load
   * balancer's proxy noted about its route, for each host's journal), throws when one failed.
   */
  swapped(): Promise<RouteNote | undefined>;
}

type Point = "gated" | "swapped";

class Meeting {
  readonly arrived = new Set<string>();
  readonly promise: Promise<RouteNote | undefined>;
  resolve!: (note?: RouteNote) => void;
  reject!: (e: Error) => void;

  constructor() {
    this.promise = new Promise<RouteNote | undefined>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    // A meeting nobody waits at (every host failed before it) must not be an unhandled rejection.
    this.promise.catch(() => undefined);
  }
}

/** The meeting points of one rollout over `hosts`. */
export class Rendezvous {
  private readonly meetings: Record<Point, Meeting> = { gated: new Meeting(), swapped: new Meeting() };
  /** Hosts that need no meeting any more: they finished (unchanged, say) or failed. */
  private readonly gone = new Set<string>();
  private failure?: TinyforgeError;
  private swapping = false;

  /**
   * `beforeSwapped` runs once when every host swapped, before any of them goes on (a load
   * balancer is pointed at the new containers while the old ones still run); when it throws,
   * the rollout fails as if a host's swap had.
   */
  constructor(
    private readonly hosts: readonly string[],
    private readonly beforeSwapped?: () => Promise<RouteNote | undefined>,
  ) {}

  /** The first failure, when a host failed. */
  get failed(): TinyforgeError | undefined {
    return this.failure;
  }

  /** The peer a host's deploy is given. */
  peer(host: string): RolloutPeer {
    return {
      gated: () => this.arrive("gated", host).then(() => undefined),
      swapped: () => this.arrive("swapped", host),
    };
  }

  /** A host failed (its deploy failed or threw): every wait fails with its reason ("HOST: why"). */
  fail(host: string, reason: string): void {
    this.gone.add(host);
    if (this.failure) return;
    this.failure = new TinyforgeError("deploy_failed", reason, {
      hint: "no host changed: every host still serves the release it served before",
    });
    for (const m of Object.values(this.meetings)) m.reject(this.failure);
  }

  /** A host ended without failing: it holds up no meeting (an unchanged SHA never reaches one). */
  done(host: string): void {
    this.gone.add(host);
    for (const p of ["gated", "swapped"] as const) this.check(p);
  }

  private arrive(point: Point, host: string): Promise<RouteNote | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    this.meetings[point].arrived.add(host);
    this.check(point);
    return this.meetings[point].promise;
  }

  private check(point: Point): void {
    if (this.failure) return;
    const m = this.meetings[point];
    if (!this.hosts.every((h) => m.arrived.has(h) || this.gone.has(h))) return;
    if (point !== "swapped" || !this.beforeSwapped || m.arrived.size === 0) {
      m.resolve();
      return;
    }
    if (this.swapping) return;
    this.swapping = true;
    this.beforeSwapped().then(
      (note) => (this.failure ? undefined : m.resolve(note)),
      (e: unknown) =>
        this.fail("load balancer", `load balancer: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
}

/** Bounds how many hosts work at once; a host gives its slot back when it waits for the others. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
