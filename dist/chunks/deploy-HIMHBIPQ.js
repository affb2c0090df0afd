import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  Option
} from "./chunk-PFJFSHOA.js";
import {
  dropEarlyLogins,
  loginEarly,
  stageOfBranch
} from "./chunk-AERVUA2Y.js";
import "./chunk-73AJGAF4.js";
import {
  currentBranchNow
} from "./chunk-QN2RUU3G.js";
import "./chunk-5TLO4YYF.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-B3EANRFM.js";
import "./chunk-33CLMXR5.js";
import "./chunk-IXWQZFUI.js";

// src/cli/deploy.ts
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
function registerDeploy(program, ctx) {
  program.command("deploy").description("build or pull, start beside the old version, gate, swap, retire the old one").argument("[workload]", "workload to deploy (default: all)").option("--stage <stage>", "target stage (default: the one whose branch is checked out)").option("--sha <sha>", "commit to deploy (default: the checkout's HEAD)").option("--ref <ref>", "branch or tag to resolve to a commit").option("--allow-dirty", "build the checkout with its uncommitted changes, recorded as dirty").option("--tag <tag>", "run as a tagged instance beside the stage's others (e.g. pr-12)").addOption(
    new Option("--strategy <strategy>", "override the workload's strategy").choices([
      "recreate",
      "blue-green"
    ])
  ).option(
    "--cancel-bake",
    "a deploy of the same workload+stage that is baking ends its bake now (it reverts); then this one runs"
  ).option("--force", "deploy even though the stage is frozen (the override is recorded)").option("--json", "print one JSON object per deploy on stdout").action(async (workload, opts, cmd) => {
    const file = cmd.optsWithGlobals().config;
    const text = readText(file);
    let checkedOut;
    const early = loginEarly(text, opts.stage, ctx.env, {
      likelyStage: (stages) => {
        checkedOut = { branch: currentBranchNow(dirname(resolve(file))) };
        return stageOfBranch(stages, checkedOut.branch);
      }
    });
    try {
      await Promise.all([...early.values()].map((e) => e.begun));
      const { runDeploy } = await import("./deploy-run-B5REZJXV.js");
      await runDeploy(workload, opts, cmd, ctx, { early, checkedOut }, text);
    } finally {
      dropEarlyLogins(early.values());
    }
  });
}
function readText(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return void 0;
  }
}
export {
  registerDeploy
};
