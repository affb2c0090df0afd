// What each deploy checks about the proxy beyond its own route, once its lock is released: whether
// the proxy would drop tinyforge's routes at its next reload, whether its reloads (each swap) reset
// new connections (each said once per project, until it changes), and whether it already lost
// routes (then they are put back from the state, as `tinyforge reconcile --routes` does).
// Best-effort: the deploy's outcome does not depend on it.
import { errorMessage } from "../errors.js";
import type { Journal } from "../events/journal.js";
import type { Store } from "../state/store.js";
import { restoreRoutes } from "./restore-routes.js";
import type { EngineContext } from "./types.js";

export const DURABLE_ROUTES_HOWTO =
  "make them durable: run `tinyforge reconcile --routes` each time the proxy starts or reloads (README: Routes that survive a proxy restart)";

export async function checkProxyRoutes(ctx: EngineContext, store: Store, journal: Journal): Promise<void> {
  if (ctx.proxy.driver === "none") return;
  // A read of its own: asked while the routes are checked.
  const resets = noteReloadsReset(ctx, store, journal);
  try {
    const volatile = await ctx.proxy.volatile?.();
    await sayOnce(store, "volatile-routes", volatile, (why) =>
      journal.warn("routes", `${why}; ${DURABLE_ROUTES_HOWTO}`),
    );
    for (const line of await restoreRoutes(ctx)) journal.warn("routes", `the proxy had lost routes: ${line}`);
  } catch (e) {
    journal.warn("routes", `could not check the proxy's other routes: ${errorMessage(e)}`);
  }
  await resets;
}

async function noteReloadsReset(ctx: EngineContext, store: Store, journal: Journal): Promise<void> {
  try {
    const resets = await ctx.proxy.reloadsReset?.();
    await sayOnce(store, "reloads-reset", resets, (why) => journal.warn("proxy", why));
  } catch (e) {
    journal.warn("proxy", `could not check how the proxy reloads: ${errorMessage(e)}`);
  }
}

/**
 * Says `reason` (through `say`) the first time it holds, and again only when it changes; a note
 * in the project's state remembers what was said, and goes once the reason does.
 */
async function sayOnce(
  store: Store,
  note: string,
  reason: string | undefined,
  say: (reason: string) => void,
): Promise<void> {
  const path = `${store.root}/notes/${note}`;
  const said = await store.files.read(path);
  if (reason === undefined) {
    if (said !== undefined) await store.files.remove(path);
    return;
  }
  if (said === reason) return;
  say(reason);
  await store.files.writeAtomic(path, reason);
}
