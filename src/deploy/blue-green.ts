// Blue-green: green starts beside blue under a unique name, passes its gate, takes the route,
// is persisted as active, and only then is blue drained and removed. That last part is handed
// back as `retire`: the deploy reports its success first, then retires blue under the same lock.
import { greenName, newSuffix } from "../plan/names.js";
import type { Release } from "../state/model.js";
import {
  discard,
  gate,
  persistActive,
  pointRoute,
  reap,
  releaseOf,
  stopReplaced,
  type Run,
  routeOf,
  startContainer,
} from "./run.js";

export interface Swap {
  active: Release;
  previous?: Release;
  /** Retires what the new release replaced; runs after the success is reported. */
  retire?: () => Promise<void>;
  /**
   * Before `retire`: puts the route and the state back on the release this one replaced and
   * removes the new container (a bake that did not hold). Blue-green with a previous release only.
   */
  revert?: () => Promise<void>;
}

export async function blueGreen(run: Run, base: string): Promise<Swap> {
  const { docker } = run.ctx.host;
  const blue = run.state.active;

  // No collision teardown: the unique suffix lets green coexist with the blue that still serves.
  const green = await startContainer(run, greenName(base, newSuffix()));
  let url: string | undefined;
  let routing = false;
  try {
    await gate(run, green);
    // Several hosts: no route moves until every host's green passed its gate.
    await hostsMeet(run, "gated");
    routing = true;
    url = await run.steps.run("route", () => pointRoute(run, green));
  } catch (e) {
    // A failed route step may still have reached the proxy (a timeout after it applied the
    // change): put the route back on blue before green goes, never leave it naming a removed
    // container. A failed gate never touched the route.
    if (routing) await routeBack(run, blue);
    await discard(run, green);
    throw e;
  }

  const active = releaseOf(run, green, url);
  const before = run.state;
  try {
    // Persist green BEFORE reaping blue: a crash mid-swap must not orphan green or leave the
    // state naming a container that no longer exists.
    await run.steps.run("persist", () => persistActive(run, active, blue));
  } catch (e) {
    await routeBack(run, blue);
    await docker.remove(green.id).catch(() => undefined);
    throw e;
  }
  try {
    await hostsMeet(run, "swapped");
  } catch (e) {
    // Another host could not swap: this one goes back to blue, which runs until the drain ends.
    await run.steps.run("swap-back", async () => {
      await routeBack(run, blue);
      run.state = before;
      await run.store.writeInstance(before);
      await docker.remove(green.id).catch(() => undefined);
    });
    throw e;
  }

  // The bake's way back: blue still runs, so one upsert puts the route on it (no rebuild, no
  // start); the state follows, and green goes once the requests it was serving had their drain.
  const revert = blue
    ? async () => {
        const back = routeOf(run, { name: blue.container, hostPort: blue.hostPort });
        if (back) await run.ctx.proxy.upsert(back);
        run.state = before;
        await run.store.writeInstance(before);
        await run.ctx.clock.sleep(run.w.drain);
        await discard(run, green);
      }
    : undefined;

  const retire = blue
    ? () =>
        reap(
          run,
          async () => {
            // Drain: requests already routed to blue get to finish before it stops.
            await run.ctx.clock.sleep(run.w.drain);
            // stop_timeout 0s: the forced remove kills it, one round trip instead of two.
            if (run.w.stop_timeout > 0) await stopReplaced(run, blue.containerId, "reap");
            await docker.remove(blue.containerId);
          },
          blue.container,
        )
    : undefined;
  return { active, previous: blue, retire, ...(revert ? { revert } : {}) };
}

/** Several hosts deployed as one release: wait here for the others (rollout.ts). */
export async function hostsMeet(run: Run, point: "gated" | "swapped"): Promise<void> {
  const peer = run.ctx.rollout;
  if (!peer) return;
  const note = await run.steps.run(`hosts-${point}`, () =>
    point === "gated" ? peer.gated().then(() => undefined) : peer.swapped(),
  );
  // What the load balancer's route step waited for and could not settle is on every host's record.
  if (note) run.journal[note.level](`hosts-${point}`, `load balancer: ${note.message}`);
}

/** The route as it was before this deploy: blue's, or none at all on a first deploy. */
async function routeBack(run: Run, blue: Release | undefined): Promise<void> {
  const back = blue ? routeOf(run, { name: blue.container, hostPort: blue.hostPort }) : undefined;
  if (back) await run.ctx.proxy.upsert(back).catch(() => undefined);
  else if (!blue && run.ctx.proxy.driver !== "none")
    await run.ctx.proxy.remove(run.hostname).catch(() => undefined);
}
