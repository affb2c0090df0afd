// Bundles the CLI, the action and the bot into dist/, which is committed: the action runs from it
// with no node_modules, and `npx tinyforge-bot` starts dist/bot.js. esbuild rather than ncc: ncc
// needs TypeScript's JS API (gone in TS 7).
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { bundleOptions, cliBundleOptions, cliBundleText, launchBundleOptions } from "./bundle.mjs";

// Chunk names carry a content hash: clear old ones so dist/ holds only what the entries import.
rmSync("dist/chunks", { recursive: true, force: true });
// The CLI's ESM entry of old builds (now dist/cli.cjs): it would import chunks that no longer exist.
rmSync("dist/cli.js", { force: true });
await build(bundleOptions);
await build(launchBundleOptions);
// The CLI: one CommonJS file, ASCII, with its build stamp (bundle.mjs, src/cli/code-cache.ts).
writeFileSync(
  "dist/cli.cjs",
  cliBundleText((await build({ ...cliBundleOptions, write: false })).outputFiles),
);

/** Copies a directory's files next to the bundled code: an entry in dist/ or a chunk in dist/chunks/. */
function besideBundles(from, name) {
  for (const dir of [`dist/${name}`, `dist/chunks/${name}`]) {
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(from)) copyFileSync(`${from}/${f}`, `${dir}/${f}`);
  }
}

// The bot's dashboard serves its stylesheet and script from ./dashboard/ beside the code that
// reads them (bot/dashboard/assets.ts).
besideBundles("bot/dashboard/assets", "dashboard");
// dockerode loads these .proto files from __dirname when BuildKit is used: the directory of the
// file it was bundled into, an entry (the CLI's dist/cli.cjs among them) or a chunk.
besideBundles("node_modules/dockerode/lib/proto", "proto");
