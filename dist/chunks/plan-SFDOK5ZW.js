import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  cliSession,
  stageWant
} from "./chunk-DKT2S7EQ.js";
import {
  Option
} from "./chunk-PFJFSHOA.js";
import {
  renderPlan
} from "./chunk-LFDFMF4P.js";
import {
  execute
} from "./chunk-V3SOIZ7Q.js";
import "./chunk-VNUKUVIF.js";
import "./chunk-WPXY34SH.js";
import "./chunk-KCBSN2NP.js";
import "./chunk-AERVUA2Y.js";
import "./chunk-73AJGAF4.js";
import {
  resolveCommit
} from "./chunk-QN2RUU3G.js";
import "./chunk-R2XRKQFI.js";
import "./chunk-FPYNHSIU.js";
import "./chunk-5TLO4YYF.js";
import "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-B3EANRFM.js";
import "./chunk-33CLMXR5.js";
import "./chunk-QEJUOKHG.js";
import "./chunk-IXWQZFUI.js";

// src/cli/plan.ts
function registerPlan(program, ctx) {
  program.command("plan").description(
    "show what a deploy would do (image, strategy, routes, env names, evictions, freeze, lock); touches nothing"
  ).argument("[workload]", "workload (default: all)").option("--stage <stage>", "target stage (default: the one whose branch is checked out)").option("--sha <sha>", "commit (default: the checkout's HEAD)").option("--ref <ref>", "branch or tag to resolve to a commit").option("--tag <tag>", "a tagged instance (e.g. pr-12)").addOption(
    new Option("--strategy <strategy>", "as deploy --strategy").choices(["recreate", "blue-green"])
  ).option("--json", "print a JSON array, one object per workload and host").action(async (workload, opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    const stage = await stageWant(s.dir, opts.stage);
    const sha = await resolveCommit(s.dir, opts);
    const plans = await execute(s, {
      kind: "plan",
      stage,
      workload,
      sha,
      ref: opts.ref,
      tag: opts.tag,
      strategy: opts.strategy
    });
    ctx.io.out(opts.json ? `${JSON.stringify(plans, null, 2)}
` : plans.map(renderPlan).join("\n"));
  });
}
export {
  registerPlan
};
