// What each deploy checks about the proxy beyond its own route, once its lock is released: whether
// the proxy would drop tinyforge's routes at its next reload (said once per project, until it
// changes), and whether it already lost some (then they are put back from the state, as
// `tinyforge reconcile --routes` does). Best-effort: the deploy's outcome does not depend on it.
import { errorMessage } from "../errors.js";
import type { Journal } from "../events/journal.js";
import type { Store } from "../state/store.js";
import { restoreRoutes } from "./restore-routes.js";
import type { EngineContext } from "./types.js";

export const DURABLE_ROUTES_HOWTO =
  "make them durable: run `tinyforge reconcile --routes` each time the proxy starts or reloads (README: Routes that survive a proxy restart)";

export async function checkProxyRoutes(ctx: EngineContext, store: Store, journal: Journal): Promise<void> {
  if (ctx.proxy.driver === "none") return;
  try {
    await noteVolatile(ctx, store, journal);
    for (const line of await restoreRoutes(ctx)) journal.warn("routes", `the proxy had lost routes: ${line}`);
  } catch (e) {
    journal.warn("routes", `could not check the proxy's other routes: ${errorMessage(e)}`);
  }
}

/** Says why routes are volatile the first time it is so; silent while it stays the same. */
async function noteVolatile(ctx: EngineContext, store: Store, journal: Journal): Promise<void> {
  const path = `${store.root}/notes/volatile-routes`;
  const reason = await ctx.proxy.volatile?.();
  const said = await store.files.read(path);
  if (reason === undefined) {
    if (said !== undefined) await store.files.remove(path);
    return;
  }
  if (said === reason) return;
  journal.warn("routes", `${reason}; ${DURABLE_ROUTES_HOWTO}`);
  await store.files.writeAtomic(path, reason);
}
