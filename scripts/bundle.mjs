// How dist/ is bundled (scripts/build.mjs runs it; a test checks what each entry loads).
// ssh2 and dockerode are CommonJS that use require, __dirname and __filename at run time; an
// ESM bundle has none of them unless we define them.
import { basename, dirname, join, relative } from "node:path";

const banner = [
  'import { createRequire as __tfCreateRequire } from "node:module";',
  'import { fileURLToPath as __tfFileURLToPath } from "node:url";',
  'import { dirname as __tfDirname } from "node:path";',
  "const require = __tfCreateRequire(import.meta.url);",
  "const __filename = __tfFileURLToPath(import.meta.url);",
  "const __dirname = __tfDirname(__filename);",
].join("\n");

// dockerode requires its BuildKit session (gRPC) at the top of docker.js and bundles its BuildKit
// progress decoder (protobufjs), a megabyte of code that only a BuildKit build calls: these stand in
// for both and import the real module on the first call, so it lands in a chunk of its own that a
// deploy of an image never parses. Each maps a module to the functions it exports and their
// callback (called with the error if the import fails).
const lazyDockerode = {
  "./session": { exports: { "": "handler" }, params: ["docker", "auth", "handler"] },
  "./buildkit": { exports: { followProgress: "onFinished" }, params: ["stream", "onFinished", "onProgress"] },
};

/** @type {import("esbuild").Plugin} */
const lazyDockerodeParts = {
  name: "lazy-dockerode-parts",
  setup(b) {
    b.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) => {
      if (!/dockerode[\\/]lib[\\/]docker\.js$/.test(args.importer)) return undefined;
      const real = join(dirname(args.importer), `${args.path.slice(2)}.js`);
      // A path relative to the checkout: it is printed in the bundle, which must not depend on
      // where the checkout is (CI compares a fresh build with the committed one).
      return {
        path: relative(process.cwd(), real),
        namespace: "lazy",
        pluginData: { spec: args.path, real },
      };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy" }, (args) => {
      const { spec, real: file } = args.pluginData;
      const { exports, params } = lazyDockerode[spec];
      const real = `import(${JSON.stringify(`./${basename(file)}`)}).then((m) => m.default || m)`;
      const fn = (name, callback) =>
        `function (${params.join(", ")}) {\n  ${real}.then((m) => (${name ? `m.${name}` : "m"})(${params.join(", ")}), ${callback});\n}`;
      const contents = Object.entries(exports)
        .map(([name, callback]) =>
          name ? `exports.${name} = ${fn(name, callback)};` : `module.exports = ${fn("", callback)};`,
        )
        .join("\n");
      return { contents, loader: "js", resolveDir: dirname(file) };
    });
  },
};

// zod re-exports every language's error messages (`z.locales`, 60-odd modules, a third of the zod
// code in a bundle); tinyforge writes its own messages (config/issues.ts) over zod's English, the
// only locale it loads. Parsing the others cost every command that reads a config.
/** @type {import("esbuild").Plugin} */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)) return undefined;
      return {
        path: "zod-locales",
        namespace: "zod-english-only",
        pluginData: { dir: dirname(args.importer) },
      };
    });
    b.onLoad({ filter: /.*/, namespace: "zod-english-only" }, (args) => ({
      contents: 'export { default as en } from "../locales/en.js";',
      loader: "js",
      resolveDir: args.pluginData.dir,
    }));
  },
};

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
  plugins: [lazyDockerodeParts, zodEnglishOnly],
  legalComments: "none",
  logLevel: "warning",
};
