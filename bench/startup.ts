// Benchmark: the CLI's start-up against bare node, interleaved in one run (medians). Runs the
// bundled CLI (bin/tinyforge.js → dist/): build it first (`npm run build`).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
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
const cases: [string, string[]][] = [
  ["node -e 0", ["-e", "0"]],
  ["tinyforge --version", [bin, "--version"]],
  ["tinyforge validate", [bin, "-c", config, "validate"]],
];
const ms: number[][] = cases.map(() => []);
for (let i = 0; i <= runs; i++) {
  cases.forEach(([name, args], k) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
    if (i > 0) ms[k]!.push(performance.now() - t0);
  });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(ms[0]!);
console.log(`\nCLI start-up, median of ${runs} interleaved runs (ms)`);
console.log(`| ${"command".padEnd(22)} | median | − bare node |`);
console.log(`|${"-".repeat(24)}|--------|-------------|`);
cases.forEach(([name], k) => {
  const m = median(ms[k]!);
  console.log(`| ${name.padEnd(22)} | ${m.toFixed(0).padStart(6)} | ${(m - base).toFixed(0).padStart(11)} |`);
});
console.log(
  JSON.stringify({
    bench: "startup",
    runs,
    ...Object.fromEntries(cases.map(([name], k) => [name, Math.round(median(ms[k]!))])),
  }),
);
