// `exec WORKLOAD -- ARGV`: a command against the serving release. By default in a one-off
// container made like the serving one (same image, env and secrets, volumes, networks), removed
// when it ends; with `running`, inside the serving container itself. The exit code is returned.
import { TinyforgeError } from "../errors.js";
import { LABEL } from "../plan/labels.js";
import { containerBaseName, newSuffix } from "../plan/names.js";
import type { AttachIO } from "../ports/docker.js";
import type { Store } from "../state/store.js";
import { describe, type InstanceRef, servingRelease } from "./serving.js";
import type { EngineContext } from "./types.js";

/** Marks a one-off container: reconcile and status do not count it as part of an instance. */
export const ONE_OFF_LABEL = "dev.tinyforge.one-off";

export async function execInstance(
  ctx: EngineContext,
  store: Store,
  who: InstanceRef,
  argv: string[],
  opts: { running: boolean },
  io: AttachIO,
): Promise<number> {
  if (argv.length === 0) throw new TinyforgeError("usage", "exec: no command given (after --)");
  if (ctx.config.workloads[who.workload]?.source === "compose" && !opts.running) {
    throw new TinyforgeError("usage", `exec: ${who.workload} is a compose stack; pass --running`);
  }
  const release = await servingRelease(ctx, store, who);
  const docker = ctx.host.docker;
  if (opts.running) {
    const info = await docker.inspect(release.containerId);
    if (!info?.running) {
      throw new TinyforgeError("not_found", `${release.container} (serving ${describe(who)}) is not running`);
    }
    return docker.execAttached(release.containerId, argv, io);
  }
  const base = containerBaseName({ project: ctx.config.project, ...who });
  return docker.runLike(
    release.containerId,
    {
      name: `${base}-run-${newSuffix()}`,
      command: argv,
      labels: { [LABEL.project]: ctx.config.project, [ONE_OFF_LABEL]: release.deployId },
    },
    io,
  );
}
