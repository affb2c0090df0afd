// Benchmark: the CLI's start-up against bare node, interleaved in one run (medians). Runs the
// bundled CLI (bin/tinyforge.js → dist/launch.js → dist/cli.cjs): build it first (`npm run build`).
// The launcher compiles the bundle from V8's code cache; the rows say what that saves: a start with
// the cache a previous run of the same command left, a first run (an empty cache directory: it
// compiles and then writes the cache), and one with the cache switched off.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 21);
const dir = mkdtempSync(join(tmpdir(), "tf-bench-start-"));
const config = join(dir, "tinyforge.yml");
writeFileSync(
  config,
  'project: shop\nstages: { production: { branch: main } }\nworkloads:\n  web: { source: image, image: "r/web:{sha}", port: 8080, healthcheck: { path: /healthz } }\n',
);
const bin = join(root, "bin/tinyforge.js");
/** The cached rows' cache: filled by the first, discarded, round. */
const warm = join(dir, "warm");
let fresh = 0;
/** An empty cache directory for each first run. */
const empty = () => join(dir, `empty-${fresh++}`);
const validate = [bin, "-c", config, "validate"];

interface Case {
  name: string;
  args: string[];
  env?: () => Record<string, string>;
}
const cases: Case[] = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "tinyforge --version", args: [bin, "--version"] },
  { name: "tinyforge validate", args: validate },
  { name: "validate, first run (empty cache)", args: validate, env: () => ({ XDG_CACHE_HOME: empty() }) },
  { name: "validate, TINYFORGE_CODE_CACHE=0", args: validate, env: () => ({ TINYFORGE_CODE_CACHE: "0" }) },
];
const ms: number[][] = cases.map(() => []);
for (let i = 0; i <= runs; i++) {
  cases.forEach(({ name, args, env }, k) => {
    const vars = { ...process.env, XDG_CACHE_HOME: warm, TINYFORGE_CODE_CACHE: "", ...env?.() };
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: "utf8", env: vars });
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
    if (i > 0) ms[k]!.push(performance.now() - t0);
  });
}
rmSync(dir, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(ms[0]!);
const width = Math.max(...cases.map((c) => c.name.length));
console.log(`\nCLI start-up, median of ${runs} interleaved runs (ms)`);
console.log(`| ${"command".padEnd(width)} | median | − bare node | × bare node |`);
console.log(`|${"-".repeat(width + 2)}|--------|-------------|-------------|`);
cases.forEach(({ name }, k) => {
  const m = median(ms[k]!);
  console.log(
    `| ${name.padEnd(width)} | ${m.toFixed(0).padStart(6)} | ${(m - base).toFixed(0).padStart(11)} | ${(m / base).toFixed(2).padStart(11)} |`,
  );
});
console.log(
  JSON.stringify({
    bench: "startup",
    runs,
    ...Object.fromEntries(cases.map(({ name }, k) => [name, Math.round(median(ms[k]!))])),
  }),
);
