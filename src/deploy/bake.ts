// The bake window: the new release serves, the old one still runs without traffic, and a soak
// probe checks the new one through the deploy's SSH connection for `bake.for`. Thresholds that
// fail (or a `--cancel-bake`) put the route back on the old release with one upsert and fail the
// deploy with the figures; a bake that holds hands the old release over to be retired.
import type { BakeConfig } from "../config/bake.js";
import { causedBy, TinyforgeError } from "../errors.js";
import type { Clock } from "../ports/clock.js";
import type { Host } from "../ports/host.js";
import { type BakeFigures, certainFailure, judge, type Sample } from "./bake-figures.js";
import type { Swap } from "./blue-green.js";
import type { Run } from "./run.js";

export interface BakeControl {
  /** Tells waiting deploys how long the lock stays held (undefined: the bake ended). */
  baking(until: number | undefined): Promise<void>;
  /** The deploy that asked this bake to end (`--cancel-bake`), if one did. */
  cancelledBy(): Promise<string | undefined>;
  /** The figures, as soon as the soak ended (a failed bake reports them too). */
  measured(figures: BakeFigures): void;
}

/** How often a bake looks for a `--cancel-bake` request on the host (one file read). */
const CANCEL_CHECK_MS = 1000;

/**
 * Bakes the release `swap` made active. Answers the figures of a bake that held (or undefined when
 * nothing was baked); a bake that did not hold is reverted here and thrown as `bake_failed`.
 */
export async function bakeRelease(
  run: Run,
  swap: Swap,
  control: BakeControl,
): Promise<BakeFigures | undefined> {
  const bake = run.w.bake;
  if (!bake) return undefined;
  const blue = swap.previous;
  if (!blue || !swap.revert) {
    run.journal.info(
      "bake",
      "nothing served before this release: there is no old release to go back to, no bake",
    );
    return undefined;
  }
  if (run.req.rollback) {
    run.journal.info("bake", "a rollback returns to a release that already served: no bake");
    return undefined;
  }
  const port = swap.active.hostPort;
  if (port === undefined)
    throw new TinyforgeError("deploy_failed", `${swap.active.container} publishes no port to probe`);

  const { clock } = run.ctx;
  const since = clock.now();
  const until = since + bake.for;
  run.state = {
    ...run.state,
    bake: {
      deployId: run.req.deployId,
      since: new Date(since).toISOString(),
      until: new Date(until).toISOString(),
      previous: blue.container,
    },
  };
  await run.store.writeInstance(run.state);
  await control.baking(until);
  run.journal.info(
    "bake",
    `${swap.active.container} serves; ${blue.container} stands by until ${new Date(until).toISOString()}: probing ${bake.probe.path} every ${bake.probe.every} ms`,
  );

  let figures: BakeFigures | undefined;
  try {
    await run.steps.run("bake", async () => {
      figures = await soak(run.ctx.host, port, bake, clock, control);
      control.measured(figures);
      run.journal.info("bake", figures.summary);
      if (figures.verdict !== "held") throw bakeFailed(figures, blue.container);
    });
  } catch (e) {
    // Whatever ended the bake early (thresholds, a cancel, an error), the unproven release goes.
    await run.steps.run("revert", () => swap.revert!());
    run.journal.warn(
      "revert",
      `the route is back on ${blue.container}; ${swap.active.container} was removed`,
    );
    await control.baking(undefined).catch(() => undefined);
    throw e;
  }
  const { bake: _, ...rest } = run.state;
  run.state = rest;
  await run.store.writeInstance(run.state);
  await control.baking(undefined).catch(() => undefined);
  return figures;
}

function bakeFailed(f: BakeFigures, back: string): TinyforgeError {
  const what = f.verdict === "cancelled" ? "bake cancelled" : "bake failed";
  return new TinyforgeError("bake_failed", `${what}: ${f.summary}; reverted to ${back}`, {
    hint:
      f.verdict === "cancelled"
        ? "the deploy that cancelled it runs next, from the old release"
        : "the old release serves again; see the deploy's events (step bake) for the probes",
  });
}

/**
 * One probe at a time, one every `probe.every`, until the window ends, the verdict is certain to
 * fail, or another deploy cancels the bake.
 */
export async function soak(
  host: Host,
  port: number,
  bake: BakeConfig,
  clock: Clock,
  control: Pick<BakeControl, "cancelledBy">,
): Promise<BakeFigures> {
  const t0 = clock.now();
  const end = t0 + bake.for;
  const samples: Sample[] = [];
  let lastCancelCheck = t0;
  for (;;) {
    const start = clock.now();
    samples.push(await probe(host, port, bake, clock));
    const failing = certainFailure(samples, bake);
    if (failing) return judge(samples, bake, clock.now() - t0, { verdict: "failed", reason: failing });
    if (clock.now() - lastCancelCheck >= CANCEL_CHECK_MS) {
      lastCancelCheck = clock.now();
      const by = await control.cancelledBy();
      if (by)
        return judge(samples, bake, clock.now() - t0, {
          verdict: "cancelled",
          reason: `cancelled by deploy ${by}`,
        });
    }
    const next = start + bake.probe.every;
    if (next >= end) break;
    const wait = next - clock.now();
    if (wait > 0) await clock.sleep(wait);
  }
  return judge(samples, bake, clock.now() - t0);
}

async function probe(host: Host, port: number, bake: BakeConfig, clock: Clock): Promise<Sample> {
  const t = clock.now();
  try {
    const res = await host.httpGet(port, bake.probe.path, bake.probe.timeout);
    return { ok: res.status >= 200 && res.status < 400, answered: true, ms: clock.now() - t };
  } catch (e) {
    // A lost connection is not the app's fault: it ends the deploy as itself.
    if (causedBy(e, "connection_lost")) throw e;
    return { ok: false, answered: false, ms: clock.now() - t };
  }
}
