import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  pathsOutside
} from "./chunk-MPBEHFSG.js";
import {
  loadConfig
} from "./chunk-UPLXK7JO.js";
import "./chunk-EYWUCGAO.js";
import "./chunk-VZYK7UIJ.js";
import "./chunk-7FGEEFQX.js";
import "./chunk-VZPQQM3L.js";
import "./chunk-B3EANRFM.js";
import "./chunk-33CLMXR5.js";
import "./chunk-IXWQZFUI.js";

// src/cli/validate.ts
function registerValidate(program, ctx) {
  program.command("validate").description("check the config file and print what it describes").action(async (_opts, cmd) => {
    const file = cmd.optsWithGlobals().config;
    const { config, dir } = await loadConfig(file);
    ctx.io.out(`${file}: valid \u2014 ${summary(config)}
`);
    for (const line of pathsOutside(config, dir, dir))
      ctx.io.err(
        `warning: ${line.replace("the checkout", "the config's directory")} (the bot refuses this)
`
      );
  });
}
function count(noun, names) {
  return `${names.length} ${noun}${names.length === 1 ? "" : "s"} (${names.join(", ")})`;
}
function summary(config) {
  return [
    `project ${config.project}`,
    count("workload", Object.keys(config.workloads)),
    count("stage", Object.keys(config.stages))
  ].join(", ");
}
export {
  registerValidate,
  summary
};
