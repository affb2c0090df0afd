import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  cliSession
} from "./chunk-EVKE27C2.js";
import {
  execute
} from "./chunk-RRK5X25M.js";
import "./chunk-Y75A4HVU.js";
import "./chunk-GMKAZPZV.js";
import "./chunk-VPMBM7N4.js";
import "./chunk-QBSBQI6T.js";
import "./chunk-73AJGAF4.js";
import "./chunk-R5YPQ4NM.js";
import "./chunk-Q7ADGZ56.js";
import "./chunk-2YKYWK6T.js";
import "./chunk-LMJPT53F.js";
import "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-N3PY2J3R.js";
import "./chunk-33CLMXR5.js";
import "./chunk-TE7HIZUT.js";
import "./chunk-TCS2WAR2.js";

// src/cli/teardown.ts
function registerTeardown(program, ctx) {
  program.command("teardown").description("remove one instance of a workload: its route, containers and state").argument("<workload>").requiredOption("--stage <stage>", "stage of the instance").option("--tag <tag>", "the tagged instance (e.g. pr-12); without it, the stage's untagged one").action(async (workload, opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    const removed = await execute(s, {
      kind: "teardown",
      workload,
      stage: { stage: opts.stage },
      tag: opts.tag
    });
    for (const r of removed)
      ctx.io.out(
        r.lines.length ? r.lines.map((l) => `${r.host}: ${l}
`).join("") : `${r.host}: ${r.key}: nothing deployed
`
      );
  });
}
export {
  registerTeardown
};
