// Bundles the CLI, the action and the bot into dist/, which is committed: the action runs from it
// with no node_modules, and `npx tinyforge-bot` starts dist/bot.js. esbuild rather than ncc: ncc
// needs TypeScript's JS API (gone in TS 7).
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { build } from "esbuild";

// ssh2 and dockerode are CommonJS that use require, __dirname and __filename at run time; an
// ESM bundle has none of them unless we define them.
const banner = [
  'import { createRequire as __tfCreateRequire } from "node:module";',
  'import { fileURLToPath as __tfFileURLToPath } from "node:url";',
  'import { dirname as __tfDirname } from "node:path";',
  "const require = __tfCreateRequire(import.meta.url);",
  "const __filename = __tfFileURLToPath(import.meta.url);",
  "const __dirname = __tfDirname(__filename);",
].join("\n");

await build({
  entryPoints: { cli: "src/cli/index.ts", action: "src/action/index.ts", bot: "bot/main.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // cpu-features is ssh2's optional native speed-up; .node files cannot be bundled.
  external: ["cpu-features", "*.node"],
  banner: { js: banner },
  legalComments: "none",
  logLevel: "warning",
});

// The bot's dashboard serves its stylesheet and script from dist/dashboard/ (bot/dashboard/assets.ts).
mkdirSync("dist/dashboard", { recursive: true });
for (const f of readdirSync("bot/dashboard/assets")) {
  copyFileSync(`bot/dashboard/assets/${f}`, `dist/dashboard/${f}`);
}

// dockerode loads these .proto files from __dirname when BuildKit is used.
mkdirSync("dist/proto", { recursive: true });
for (const f of readdirSync("node_modules/dockerode/lib/proto")) {
  copyFileSync(`node_modules/dockerode/lib/proto/${f}`, `dist/proto/${f}`);
}
