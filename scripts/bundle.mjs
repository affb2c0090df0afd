// How dist/ is bundled (scripts/build.mjs runs it; a test checks what each entry loads).
// ssh2 and dockerode are CommonJS that use require, __dirname and __filename at run time; an
// ESM bundle has none of them unless we define them.
import { dirname, relative } from "node:path";

const banner = [
  'import { createRequire as __tfCreateRequire } from "node:module";',
  'import { fileURLToPath as __tfFileURLToPath } from "node:url";',
  'import { dirname as __tfDirname } from "node:path";',
  "const require = __tfCreateRequire(import.meta.url);",
  "const __filename = __tfFileURLToPath(import.meta.url);",
  "const __dirname = __tfDirname(__filename);",
].join("\n");

// Dependencies require some modules at load that only paths a deploy of an image never takes call:
// dockerode its BuildKit session (gRPC) and progress decoder (protobufjs, a megabyte), and tar-fs
// for build contexts given as a directory (tinyforge gives a stream); node-ssh make-dir (and with
// it semver) for downloads. Each is replaced by a stand-in that imports the real module on its
// first call, so the real one lands in a chunk of its own that a deploy never parses. `call` says
// how a function's result comes back: through its callback (that parameter gets the import's
// error), as a promise, or as a stream (a PassThrough the real stream is piped into).
const lazyParts = [
  {
    importer: /dockerode[\\/]lib[\\/]docker\.js$/,
    spec: "./session",
    exports: { "": { call: "callback", params: ["docker", "auth", "handler"], callback: "handler" } },
  },
  {
    importer: /dockerode[\\/]lib[\\/]docker\.js$/,
    spec: "./buildkit",
    exports: {
      followProgress: {
        call: "callback",
        params: ["stream", "onFinished", "onProgress"],
        callback: "onFinished",
      },
    },
  },
  { importer: /dockerode[\\/]lib[\\/]util\.js$/, spec: "tar-fs", exports: { pack: { call: "stream" } } },
  {
    importer: /node-ssh[\\/]lib[\\/](cjs|esm)[\\/]index\.m?js$/,
    spec: "make-dir",
    exports: { "": { call: "promise" } },
  },
];

/** The stand-in's source: `real` is an expression for the real module's promise. */
function standIn(real, exports) {
  const body = (name, { call, params = ["...args"], callback }) => {
    const fn = `(m) => (${name ? `m.${name}` : "m"})(${params.join(", ")})`;
    if (call === "callback") return `${real}.then(${fn}, ${callback});`;
    if (call === "promise") return `return ${real}.then(${fn});`;
    return `const out = new (require("node:stream").PassThrough)();\n  ${real}.then(${fn}).then((s) => s.on("error", (e) => out.destroy(e)).pipe(out), (e) => out.destroy(e));\n  return out;`;
  };
  return Object.entries(exports)
    .map(([name, how]) => {
      const fn = `function (${(how.params ?? ["...args"]).join(", ")}) {\n  ${body(name, how)}\n}`;
      return name ? `exports.${name} = ${fn};` : `module.exports = ${fn};`;
    })
    .join("\n");
}

/** @type {import("esbuild").Plugin} */
const lazyDependencyParts = {
  name: "lazy-dependency-parts",
  setup(b) {
    b.onResolve({ filter: /^(\.\/session|\.\/buildkit|tar-fs|make-dir)$/ }, async (args) => {
      const part = lazyParts.find((p) => p.spec === args.path && p.importer.test(args.importer));
      if (!part) return undefined;
      const real = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: "require-call" });
      if (real.errors.length > 0) return { errors: real.errors };
      // A path relative to the checkout: it is printed in the bundle, which must not depend on
      // where the checkout is (CI compares a fresh build with the committed one).
      return {
        path: relative(process.cwd(), real.path),
        namespace: "lazy",
        pluginData: { part, real: real.path },
      };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy" }, (args) => {
      const { part, real } = args.pluginData;
      const contents = standIn(`import(${JSON.stringify(real)}).then((m) => m.default || m)`, part.exports);
      return { contents, loader: "js", resolveDir: dirname(real) };
    });
  },
};

// readable-stream (a copy of Node's streams from 2019, for old Nodes) is what bl and docker-modem
// ask for; its own `READABLE_STREAM=disable` switch hands out Node's streams instead, as this
// stand-in does: the same classes, without parsing 80 kB of copies. (A plain object: the switch
// copies Node's stream module onto its Readable class, which strict code may not do.)
/** @type {import("esbuild").Plugin} */
const nodeStreams = {
  name: "node-streams",
  setup(b) {
    b.onResolve({ filter: /^readable-stream$/ }, () => ({
      path: "readable-stream",
      namespace: "node-streams",
    }));
    b.onLoad({ filter: /.*/, namespace: "node-streams" }, () => ({
      contents: [
        'const Stream = require("node:stream");',
        "const { Readable, Writable, Duplex, Transform, PassThrough, finished, pipeline } = Stream;",
        "module.exports = { Stream, Readable, Writable, Duplex, Transform, PassThrough, finished, pipeline };",
      ].join("\n"),
      loader: "js",
    }));
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
  entryPoints: {
    cli: "src/cli/index.ts",
    action: "src/action/index.ts",
    bot: "bot/main.ts",
  },
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
  plugins: [lazyDependencyParts, nodeStreams, zodEnglishOnly],
  legalComments: "none",
  logLevel: "warning",
};
