import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  cliSession
} from "./chunk-ML537DZL.js";
import {
  eventLine,
  execute
} from "./chunk-LVT6GJJY.js";
import "./chunk-34S42KUK.js";
import {
  TinyforgeError
} from "./chunk-PKG5PH2D.js";

// src/cli/logs.ts
var ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
function registerLogs(program, ctx) {
  program.command("logs").description("a deploy's events").argument("<deployId>").option("-f, --follow", "keep printing new events until the deploy ends").action(async (deployId, opts, cmd) => {
    if (!ULID.test(deployId))
      throw new TinyforgeError("usage", `not a deploy id: ${JSON.stringify(deployId)}`);
    const s = await cliSession(cmd, ctx);
    const { interrupted } = await execute(
      s,
      { kind: "logs", deployId, follow: opts.follow },
      { onEvent: (e) => ctx.io.out(`${eventLine(e)}
`) }
    );
    if (interrupted)
      ctx.io.out(
        `-- deploy ${deployId} is no longer running and left no outcome (interrupted); tinyforge reconcile puts the host right
`
      );
  });
}
export {
  registerLogs
};
