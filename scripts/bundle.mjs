// How dist/ is bundled (scripts/build.mjs runs it; a test checks what each entry loads).
// ssh2 and dockerode are CommonJS that use require, __dirname and __filename at run time; an
// ESM bundle has none of them unless we define them.
import { createHash } from "node:crypto";
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

/**
 * The stand-ins' plugin. `load` is how a stand-in gets the real module: `import` in the ESM bundles
 * (the real one lands in a chunk of its own), `require` in the CLI's one-file CommonJS bundle (the
 * real one sits in the same file, in a wrapper esbuild runs on the first require; no `import()`
 * may remain there: the launcher compiles it as a plain script).
 * @param {"import" | "require"} load
 * @returns {import("esbuild").Plugin}
 */
const lazyDependencyParts = (load) => ({
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
      const path = JSON.stringify(real);
      const promise =
        load === "import"
          ? `import(${path}).then((m) => m.default || m)`
          : `Promise.resolve().then(() => require(${path}))`;
      return { contents: standIn(promise, part.exports), loader: "js", resolveDir: dirname(real) };
    });
  },
});

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

// ssh2's optional native parts (its crypto binding, and cpu-features, which only reorders ciphers
// when that binding is there) cannot be bundled, and the CLI's bundle leaves nothing outside but
// Node's builtins: each is a module that throws, as ssh2's `try { require(…) }` expects of one
// that is not installed. (The ESM bundles could not load the binding either: it is not beside them.)
/** @type {import("esbuild").Plugin} */
const noNativeAddons = {
  name: "no-native-addons",
  setup(b) {
    b.onResolve({ filter: /(^cpu-features$|\.node$)/ }, (args) => ({
      path: args.path,
      namespace: "no-native-addons",
    }));
    b.onLoad({ filter: /.*/, namespace: "no-native-addons" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled`)});`,
      loader: "js",
    }));
  },
};

// Code splitting: each entry gets only what it imports, and what an entry imports lazily (the
// action's engine, the bot's Bolt) lands in chunks loaded on first use. Chunks sit in dist/chunks
// beside the entries. (The CLI is bundled apart: cliBundleOptions.)
/** @type {import("esbuild").BuildOptions} */
export const bundleOptions = {
  entryPoints: {
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
  plugins: [lazyDependencyParts("import"), nodeStreams, zodEnglishOnly],
  legalComments: "none",
  logLevel: "warning",
};

// The CLI is one CommonJS file, dist/cli.cjs, that the launcher (dist/launch.js) compiles from
// V8's code cache: Node 20 keeps none for ES modules, and compiling our own code was most of the
// CPU a command spent before its first Docker call (src/cli/code-cache.ts). What a command does not
// name still does not run: esbuild wraps each lazily imported module in a function called on first
// use. ASCII only (the launcher reads it as latin1) with the build stamp the cache is keyed by:
// cliBundleText below. Only Node's builtins stay outside.
/** @type {import("esbuild").BuildOptions} */
export const cliBundleOptions = {
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  charset: "ascii",
  plugins: [lazyDependencyParts("require"), nodeStreams, zodEnglishOnly, noNativeAddons],
  legalComments: "none",
  logLevel: "warning",
};

// bin/tinyforge.js's launcher: Node's builtins only, so that starting it costs next to nothing.
/** @type {import("esbuild").BuildOptions} */
export const launchBundleOptions = {
  entryPoints: { launch: "src/cli/launch.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  logLevel: "warning",
};

/**
 * dist/cli.cjs's text from esbuild's output for cliBundleOptions: ASCII only (the launcher reads it
 * as latin1; this throws otherwise), and a last line with the build stamp, the sha256 of the text
 * before it, that the launcher keys its code cache by. esbuild escapes every non-ASCII character
 * of code (charset: ascii) but leaves the dependencies' comments as they are (a dash, a §): there
 * a \uXXXX escape reads as well, and in code (a string, a regular expression) it would mean the
 * same UTF-16 unit.
 * @param {import("esbuild").OutputFile[]} outputs
 */
export function cliBundleText(outputs) {
  if (outputs.length !== 1) throw new Error(`the CLI bundle is ${outputs.length} files, not 1`);
  const text = outputs[0].text.replace(
    /[^\0-\x7f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const bad = Buffer.from(text, "utf8").findIndex((byte) => byte > 127);
  if (bad >= 0) throw new Error(`dist/cli.cjs: byte ${bad} is not ASCII`);
  return `${text}//# tinyforge-build ${createHash("sha256").update(text).digest("hex")}\n`;
}
