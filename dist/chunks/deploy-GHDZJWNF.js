import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  eventLine,
  headerLine,
  resultLine,
  stepLine
} from "./chunk-VANUF62Z.js";
import {
  Option
} from "./chunk-IQCURSAV.js";
import {
  changedFiles,
  exportCommit,
  headCommit,
  resolveCommit,
  resolveStage,
  resolveWorkloads
} from "./chunk-HELQCB2T.js";
import {
  checkProxySecrets,
  deploy,
  engineContext,
  forEachHost,
  openSession,
  workloadSecrets
} from "./chunk-D2GHFZ23.js";
import "./chunk-TF2T74O4.js";
import {
  EXIT,
  TinyforgeError
} from "./chunk-PKG5PH2D.js";

// src/deploy/source-tree.ts
var BUILT_FROM_CHECKOUT = /* @__PURE__ */ new Set(["dockerfile", "static", "compose"]);
var LISTED = 20;
async function sourceTree(dir, configFile, workloads, req) {
  const explicit = req.sha !== void 0 || req.ref !== void 0;
  if (explicit && req.allowDirty) {
    throw new TinyforgeError(
      "usage",
      "--allow-dirty builds the working tree; it cannot go with --sha or --ref",
      {
        hint: "with --sha/--ref the commit's own files are built and the working tree is not read"
      }
    );
  }
  const sha = await resolveCommit(dir, req);
  const working = { sha, dirty: false, dir, dispose: async () => void 0 };
  const contexts = [
    ...new Set(workloads.filter((w) => BUILT_FROM_CHECKOUT.has(w.source)).map((w) => w.context))
  ];
  if (contexts.length === 0) return working;
  const changed = (await changedFiles(dir, contexts)).filter((f) => f !== configFile);
  if (changed.length === 0 && sha === await headCommit(dir)) return working;
  if (explicit) {
    const tree = await exportCommit(dir, sha);
    return { sha, dirty: false, dir: tree.dir, dispose: tree.dispose };
  }
  if (req.allowDirty) return { ...working, dirty: true };
  throw new TinyforgeError(
    "usage",
    `the checkout has changes that are not in ${sha.slice(0, 12)} (HEAD): a deploy would record the commit and serve something else`,
    {
      details: [
        ...changed.slice(0, LISTED),
        ...changed.length > LISTED ? [`\u2026 and ${changed.length - LISTED} more`] : []
      ],
      hint: "commit them, or pass --allow-dirty to deploy the working tree marked as dirty"
    }
  );
}

// src/cli/deploy.ts
function registerDeploy(program, ctx) {
  program.command("deploy").description("build or pull, start beside the old version, gate, swap, retire the old one").argument("[workload]", "workload to deploy (default: all)").option("--stage <stage>", "target stage (default: the one whose branch is checked out)").option("--sha <sha>", "commit to deploy (default: the checkout's HEAD)").option("--ref <ref>", "branch or tag to resolve to a commit").option("--allow-dirty", "build the checkout with its uncommitted changes, recorded as dirty").option("--tag <tag>", "run as a tagged instance beside the stage's others (e.g. pr-12)").addOption(
    new Option("--strategy <strategy>", "override the workload's strategy").choices([
      "recreate",
      "blue-green"
    ])
  ).option("--json", "print one JSON object per deploy on stdout").action(async (workload, opts, cmd) => {
    const s = await openSession(cmd.optsWithGlobals().config, ctx.env);
    const stage = await resolveStage(s.config, s.dir, opts.stage);
    const workloads = resolveWorkloads(s.config, workload);
    for (const w of workloads) workloadSecrets(s.config, w, s.env);
    checkProxySecrets(s.config, s.settings);
    const tree = await sourceTree(
      s.dir,
      s.file,
      workloads.map((w) => s.config.workloads[w]),
      opts
    );
    const showProgress = ctx.isTTY || !opts.json;
    const results = [];
    await forEachHost(s, async (host) => {
      for (const w of workloads) {
        const ectx = { ...engineContext(s, host, w), configDir: tree.dir };
        if (showProgress) {
          ectx.onStep = (step) => ctx.io.err(stepLine(step));
          ectx.onEvent = (e) => {
            const line = eventLine(e, ctx.isTTY);
            if (line) ctx.io.err(line);
          };
          ctx.io.err(headerLine(w, stage, host.name));
        }
        const kill = ctx.env.TINYFORGE_FAULT_KILL_AFTER;
        if (kill) {
          const print = ectx.onStep;
          ectx.onStep = (step) => {
            print?.(step);
            if (step.name === kill) process.kill(process.pid, "SIGKILL");
          };
        }
        const r = await deploy(ectx, {
          workload: w,
          stage,
          sha: tree.sha,
          ...tree.dirty ? { dirty: true } : {},
          ref: opts.ref,
          tag: opts.tag,
          strategy: opts.strategy
        });
        results.push(r);
        if (opts.json) ctx.io.out(`${JSON.stringify(r)}
`);
        else ctx.io.out(resultLine(r));
        if (r.outcome === "failed") {
          ctx.exitCode = EXIT.deployFailed;
          return false;
        }
      }
      return true;
    }).finally(() => tree.dispose());
  });
}
export {
  registerDeploy
};
