// Recreate: the old container is stopped and set aside (renamed, kept) while the new one starts
// on the same port; only a new container that passed its gate replaces it. Otherwise the old one
// is renamed back and restarted.
import { TinyforgeError } from "../errors.js";
import { greenName, newSuffix } from "../plan/names.js";
import type { Release } from "../state/model.js";
import { hostsMeet, type Swap } from "./blue-green.js";
import {
  discard,
  gate,
  persistActive,
  pointRoute,
  reap,
  releaseOf,
  type Run,
  stopReplaced,
  type Started,
  startContainer,
} from "./run.js";

export async function recreate(run: Run, base: string): Promise<Swap> {
  const { docker } = run.ctx.host;
  const current = run.state.active;
  const old = current ? await docker.inspect(current.containerId) : undefined;
  const asideName = current ? `${current.container}-old` : "";

  let stopped = false;
  let routed = false;
  let fresh: Started | undefined;
  let url: string | undefined;
  const before = run.state;
  try {
    if (current && old) {
      await run.steps.run("stop-old", async () => {
        stopped = true;
        await stopReplaced(run, old.id, "stop-old");
        await docker.rename(old.id, asideName);
      });
    }
    // Same host port as the old one, so the address users have keeps working.
    fresh = await startContainer(run, greenName(base, newSuffix()), current?.hostPort);
    await gate(run, fresh);
    await hostsMeet(run, "gated");
    url = await run.steps.run("route", () => pointRoute(run, fresh!));
    routed = true;
    await run.steps.run("persist", () => persistActive(run, releaseOf(run, fresh!, url), current));
    // Another host could not swap: this one goes back to the old release with them.
    await hostsMeet(run, "swapped");
  } catch (e) {
    if (run.state !== before) {
      run.state = before;
      await run.store.writeInstance(before).catch((we) => run.journal.error("restore", String(we)));
    }
    if (fresh) await discard(run, fresh);
    if (current && old && stopped)
      await restoreOld(run, current, old.id, routed).catch((re) => run.journal.error("restore", String(re)));
    throw e;
  }

  const retire = old ? () => reap(run, () => docker.remove(old.id), asideName) : undefined;
  return { active: run.state.active!, previous: current, retire };
}

async function restoreOld(run: Run, current: Release, id: string, routeMoved: boolean): Promise<void> {
  const { docker } = run.ctx.host;
  await run.steps.run("restore", async () => {
    if ((await docker.inspect(id))?.name !== current.container) await docker.rename(id, current.container);
    await docker.start(id);
    const info = await docker.inspect(id);
    if (!info?.running)
      throw new TinyforgeError(
        "deploy_failed",
        `could not restart the previous container ${current.container}`,
      );
    // The route follows the old container back when it had moved to the new one (a failure after
    // the route step) or when the restart published on another port. Otherwise it never moved,
    // and an upsert would only cost the proxy a reload.
    const portMoved = info.hostPort !== current.hostPort;
    const url =
      routeMoved || portMoved
        ? await pointRoute(run, { name: current.container, hostPort: info.hostPort })
        : undefined;
    if (portMoved) {
      const moved = { ...current, hostPort: info.hostPort, ...(url ? { url } : {}) };
      run.state = { ...run.state, active: moved };
      await run.store.writeInstance(run.state);
    }
    run.journal.warn("restore", `previous release ${current.sha.slice(0, 12)} is serving again`);
  });
}
