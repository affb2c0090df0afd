import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  Option
} from "./chunk-2X6KBHJI.js";
import {
  dropEarlyLogins,
  loginEarly,
  timedCall,
  traceToStderr
} from "./chunk-UYQ7NT4J.js";
import "./chunk-73AJGAF4.js";
import "./chunk-LMJPT53F.js";
import "./chunk-N3PY2J3R.js";
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";
import "./chunk-TCS2WAR2.js";

// src/cli/deploy.ts
import { readFileSync } from "node:fs";

// src/config/off-thread.ts
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
var MAIN_STACK_MB = 984 / 1024;
function validateOffThread(text, file, trace) {
  const script = new URL("./config-worker.js", import.meta.url);
  const here = () => import("./load-AH3ISKD5.js").then((m) => m.parseConfig(text, file));
  if (!existsSync(script)) return timedCall(`validate ${file} (this thread)`, trace, here);
  return timedCall(`validate ${file} (own thread)`, trace, () => onThread(script, text, file, here));
}
function onThread(script, text, file, here) {
  let worker;
  try {
    worker = new Worker(script, {
      // It reads no environment (secrets stay on the main thread), and it gets the main thread's
      // stack: a YAML document nested too deep for one fails on both alike.
      env: {},
      resourceLimits: { stackSizeMb: MAIN_STACK_MB }
    });
  } catch {
    return here();
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    worker.once("message", (a) => {
      answered = true;
      void worker.terminate();
      if ("config" in a) resolve(a.config);
      else reject(asError(a.error));
    });
    const instead = () => {
      if (!answered) here().then(resolve, reject);
      answered = true;
    };
    worker.once("error", instead);
    worker.once("exit", instead);
    worker.postMessage({ text, file });
  });
}
function asError(e) {
  if (!e.code) return new Error(e.message);
  return new TinyforgeError(e.code, e.message, {
    ...e.hint !== void 0 ? { hint: e.hint } : {},
    details: e.details ?? []
  });
}

// src/cli/deploy.ts
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
    const trace = ctx.env.TINYFORGE_TRACE === "1" ? traceToStderr : void 0;
    const text = readText(file);
    const early = loginEarly(text, opts.stage, ctx.env);
    const validated = text === void 0 ? void 0 : validateOffThread(text, file, trace);
    validated?.catch(() => void 0);
    try {
      await Promise.all([...early.values()].map((e) => e.begun));
      const { runDeploy } = await import("./deploy-run-TUAMJOOS.js");
      await runDeploy(workload, opts, cmd, ctx, early, validated ? { validated } : text);
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
