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
} from "./chunk-DLCQDEWK.js";
import {
  cliActor
} from "./chunk-LOGLHGYO.js";
import {
  cliSession,
  stageWant
} from "./chunk-DKT2S7EQ.js";
import {
  execute,
  holdConnections,
  readyEarlyHosts,
  resolveStage,
  resolveWorkloads,
  stageHosts
} from "./chunk-V3SOIZ7Q.js";
import "./chunk-VNUKUVIF.js";
import "./chunk-WPXY34SH.js";
import "./chunk-KCBSN2NP.js";
import "./chunk-AERVUA2Y.js";
import "./chunk-73AJGAF4.js";
import {
  changedFiles,
  exportCommit,
  headCommit,
  resolveCommit
} from "./chunk-QN2RUU3G.js";
import "./chunk-R2XRKQFI.js";
import "./chunk-FPYNHSIU.js";
import "./chunk-5TLO4YYF.js";
import {
  workloadOf
} from "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-B3EANRFM.js";
import {
  EXIT,
  TinyforgeError
} from "./chunk-33CLMXR5.js";
import "./chunk-QEJUOKHG.js";
import "./chunk-IXWQZFUI.js";

// src/cli/deploy-run.ts
import { dirname, resolve } from "node:path";

// src/deploy/source-tree.ts
var BUILT_FROM_CHECKOUT = /* @__PURE__ */ new Set(["dockerfile", "static", "compose"]);
var LISTED = 20;
async function sourceTree(dir, configFile, workloads, req, resolved) {
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
  const sha = await (resolved ?? resolveCommit(dir, req));
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

// src/cli/deploy-run.ts
async function runDeploy(workload, opts, cmd, ctx, head, text) {
  const { early, checkedOut } = head;
  const file = cmd.optsWithGlobals().config;
  const resolved = resolveCommit(dirname(resolve(file)), opts);
  resolved.catch(() => void 0);
  readyEarlyHosts(early);
  const s = await cliSession(cmd, ctx, text);
  const stage = resolveStage(s.config, await stageWant(s.dir, opts.stage, checkedOut));
  const workloads = resolveWorkloads(s.config, workload);
  for (const w of workloads) s.grants.secrets(s.config, w, stage);
  const held = holdConnections(s, stageHosts(s.config, stage), early);
  const tree = await sourceTree(
    s.dir,
    s.file,
    workloads.map((w) => workloadOf(s.config, w)),
    opts,
    resolved
  ).catch(async (e) => {
    await held.release();
    throw e;
  });
  try {
    const results = await execute(
      s,
      {
        kind: "deploy",
        stage: { stage },
        workload,
        sha: tree.sha,
        ...tree.dirty ? { dirty: true } : {},
        sourceDir: tree.dir,
        ref: opts.ref,
        tag: opts.tag,
        strategy: opts.strategy,
        ...opts.cancelBake ? { cancelBake: true } : {},
        ...opts.force ? { force: true } : {},
        actor: cliActor()
      },
      observers(ctx, opts.json)
    );
    if (results.some((r) => r.outcome === "failed")) ctx.exitCode = EXIT.deployFailed;
  } finally {
    await held.release();
    await tree.dispose();
  }
}
function observers(ctx, json) {
  const obs = {
    onResult: (r) => ctx.io.out(json ? `${JSON.stringify(r)}
` : resultLine(r))
  };
  if (ctx.isTTY || !json) {
    obs.onStart = (at) => ctx.io.err(headerLine(at.workload, at.stage, at.host));
    obs.onStep = (step) => ctx.io.err(stepLine(step));
    obs.onEvent = (e) => {
      const line = eventLine(e, ctx.isTTY);
      if (line) ctx.io.err(line);
    };
  }
  const kill = ctx.env.TINYFORGE_FAULT_KILL_AFTER;
  if (kill) {
    const print = obs.onStep;
    obs.onStep = (step, at) => {
      print?.(step, at);
      if (step.name === kill) process.kill(process.pid, "SIGKILL");
    };
  }
  return obs;
}
export {
  runDeploy
};
