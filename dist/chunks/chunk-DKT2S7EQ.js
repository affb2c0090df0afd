import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  environmentGrants,
  openSession
} from "./chunk-V3SOIZ7Q.js";
import {
  credentialsFromEnv,
  lockTtlFromEnv
} from "./chunk-AERVUA2Y.js";
import {
  currentBranch
} from "./chunk-QN2RUU3G.js";

// src/cli/open.ts
import { basename } from "node:path";
function cliSession(cmd, ctx, text) {
  const env = ctx.env;
  const file = cmd.optsWithGlobals().config;
  const inputs = {
    credentials: credentialsFromEnv(env),
    // The person running the CLI is the operator: a workload's secrets come from their environment.
    grants: environmentGrants(env),
    lockTtlMs: lockTtlFromEnv(env),
    trace: env.TINYFORGE_TRACE === "1"
  };
  return openSession(file, inputs, basename(file), text);
}
async function stageWant(dir, stage, checkedOut) {
  return {
    stage,
    branch: stage === void 0 ? checkedOut ? checkedOut.branch : await currentBranch(dir) : void 0,
    guess: "only-stage",
    ask: "--stage"
  };
}

export {
  cliSession,
  stageWant
};
