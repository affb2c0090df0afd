import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  cliSession
} from "./chunk-DKT2S7EQ.js";
import {
  execute,
  freezeText
} from "./chunk-V3SOIZ7Q.js";

// src/cli/freeze.ts
import { hostname as machineName, userInfo } from "node:os";
function cliActor() {
  return `${userInfo().username}@${machineName()}`;
}
function registerFreeze(program, ctx) {
  program.command("freeze").description(
    "refuse every deploy, rollback and preview into a stage (from any entry point) until unfrozen"
  ).argument("<stage>").requiredOption("--reason <text>", "why: shown with every refusal").option("--until <time>", "ISO 8601 time it ends by itself, e.g. 2026-12-24T18:00Z").action(async (stage, opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    const done = await execute(s, {
      kind: "freeze",
      stage,
      reason: opts.reason,
      by: cliActor(),
      until: opts.until
    });
    for (const f of done) ctx.io.out(`${f.host}: ${stage} ${freezeText(f.freeze)}
`);
  });
}
function registerUnfreeze(program, ctx) {
  program.command("unfreeze").description("lift a stage's freeze").argument("<stage>").action(async (stage, _opts, cmd) => {
    const s = await cliSession(cmd, ctx);
    for (const u of await execute(s, { kind: "unfreeze", stage }))
      ctx.io.out(
        u.freeze ? `${u.host}: ${stage} unfrozen (was ${freezeText(u.freeze)})
` : `${u.host}: ${stage} was not frozen
`
      );
  });
}

export {
  cliActor,
  registerFreeze,
  registerUnfreeze
};
