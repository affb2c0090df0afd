import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  eventLine,
  stillRunning
} from "./chunk-IWZDRXRN.js";
import {
  engineContext,
  forEachHost,
  openSession,
  storeFor,
  systemClock
} from "./chunk-D2GHFZ23.js";
import "./chunk-TF2T74O4.js";
import {
  TinyforgeError
} from "./chunk-PKG5PH2D.js";

// src/cli/logs.ts
var ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
function registerLogs(program, ctx) {
  program.command("logs").description("a deploy's events").argument("<deployId>").option("-f, --follow", "keep printing new events until the deploy ends").action(async (deployId, opts, cmd) => {
    if (!ULID.test(deployId))
      throw new TinyforgeError("usage", `not a deploy id: ${JSON.stringify(deployId)}`);
    const s = await openSession(cmd.optsWithGlobals().config, ctx.env);
    let found = false;
    await forEachHost(s, async (host) => {
      const store = storeFor(engineContext(s, host, void 0));
      let rec = await store.readDeploy(deployId);
      if (!rec) return true;
      found = true;
      let shown = 0;
      for (; ; ) {
        const events = await store.readEvents(deployId);
        for (const e of events.slice(shown)) ctx.io.out(`${eventLine(e)}
`);
        shown = Math.max(shown, events.length);
        if (!opts.follow) break;
        rec = await store.readDeploy(deployId) ?? rec;
        if (rec.outcome !== "running") break;
        if (!await stillRunning(store, rec)) {
          await systemClock.sleep(1e3);
          rec = await store.readDeploy(deployId) ?? rec;
          if (rec.outcome !== "running") continue;
          const last = await store.readEvents(deployId);
          for (const e of last.slice(shown)) ctx.io.out(`${eventLine(e)}
`);
          ctx.io.out(
            `-- deploy ${deployId} is no longer running and left no outcome (interrupted); tinyforge reconcile puts the host right
`
          );
          break;
        }
        await systemClock.sleep(300);
      }
      return false;
    });
    if (!found)
      throw new TinyforgeError("not_found", `no deploy ${deployId} on ${s.config.hosts.join(", ")}`);
  });
}
export {
  registerLogs
};
