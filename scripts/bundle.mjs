// How dist/ is bundled (scripts/build.mjs runs it; a test checks what each entry loads).
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

// Code splitting: each entry gets only what it imports, and what an entry imports lazily (the CLI's
// commands, the bot's Bolt) lands in chunks loaded on first use, so `tinyforge --version` does not
// parse Docker, SSH and the forges' clients first. Chunks sit in dist/chunks beside the entries.
/** @type {import("esbuild").BuildOptions} */
export const bundleOptions = {
  entryPoints: { cli: "src/cli/index.ts", action: "src/action/index.ts", bot: "bot/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  platform: "node",
  format: "esm",
  target: "node20",
  // cpu-features is ssh2's optional native speed-up; .node files cannot be bundled.
  external: ["cpu-features", "*.node"],
  banner: { js: banner },
  legalComments: "none",
  logLevel: "warning",
};
