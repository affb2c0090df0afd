// Blue-green: green starts beside blue under a unique name, passes its gate, takes the route,
// is persisted as active, and only then is blue drained and removed.
import { greenName, newSuffix } from "../plan/names.js";
import type { Release } from "../state/model.js";
import {
  discard,
  gate,
  persistActive,
  pointRoute,
  reap,
  releaseOf,
  type Run,
  routeOf,
  startContainer,
} from "./run.js";

export interface Swap {
  active: Release;
  previous?: Release;
}

export async function blueGreen(run: Run, base: string): Promise<Swap> {
  const { docker } = run.ctx.host;
  const blue = run.state.active;

  // No collision teardown: the unique suffix lets green coexist with the blue that still serves.
  const green = await startContainer(run, greenName(base, newSuffix()));
  let url: string | undefined;
  try {
    await gate(run, green);
    url = await run.steps.run("route", () => pointRoute(run, green));
  } catch (e) {
    // A failed gate or route: green goes, blue and the route stay exactly as they were.
    await discard(run, green);
    throw e;
  }

  const active = releaseOf(run, green, url);
  try {
    // Persist green BEFORE reaping blue: a crash mid-swap must not orphan green or leave the
    // state naming a container that no longer exists.
    await run.steps.run("persist", () => persistActive(run, active, blue));
  } catch (e) {
    const back = blue ? routeOf(run, { name: blue.container, hostPort: blue.hostPort }) : undefined;
    if (back) await run.ctx.proxy.upsert(back).catch(() => undefined);
    await docker.remove(green.id).catch(() => undefined);
    throw e;
  }

  if (blue) {
    await reap(
      run,
      async () => {
        // Drain: requests already routed to blue get to finish before it stops.
        await run.ctx.clock.sleep(run.w.drain);
        await docker.stop(blue.containerId, Math.ceil(run.w.stop_timeout / 1000));
        await docker.remove(blue.containerId);
      },
      blue.container,
    );
  }
  return { active, previous: blue };
}
