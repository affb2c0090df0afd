// Benchmark: the wall time of one `tinyforge deploy` (blue-green, a prebuilt image, no proxy) to
// 1, 2 and 3 hosts, where several hosts are one release (gated in parallel, swapped together). The
// hosts are the testbed's: the shared engine behind its sshd (as root), and the second and third
// engines, each behind its own sshd as its own user (so its own home and deploy state). The goal:
// 3 hosts within 1.3× one host. Medians of BENCH_RUNS (default 5), never a pass/fail.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

const root = join(import.meta.dirname, "..");
const tb = JSON.parse(readFileSync(join(root, ".testbed/env.json"), "utf8"));
if (!tb.engine2 || !tb.engine3)
  throw new Error(".testbed/env.json has no engine2/engine3: run bash scripts/testbed.sh up");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), "tf-bench-hosts-"));
const knownHosts = join(dir, "known_hosts");
writeFileSync(
  knownHosts,
  readFileSync(tb.knownHostsFile, "utf8") +
    readFileSync(tb.engine2.knownHostsFile, "utf8") +
    readFileSync(tb.engine3.knownHostsFile, "utf8"),
);
const env = { ...process.env, TINYFORGE_SSH_KEY_FILE: tb.sshKeyFile, TINYFORGE_KNOWN_HOSTS_FILE: knownHosts };

const host1 = `ssh://${tb.sshUser}@${tb.sshHost}:${tb.sshPort}`;
const host2: string = tb.engine2.host;
const host3: string = tb.engine3.host;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function config(n: number): string {
  const project = `benchhosts${n}x${process.pid}`;
  const file = join(dir, `${n}.yml`);
  writeFileSync(
    file,
    stringify({
      project,
      hosts: [host1, host2, host3].slice(0, n),
      // Relative: under each SSH user's home, so each host keeps its own state.
      state_dir: ".tinyforge-bench",
      stages: { production: { branch: "main" } },
      workloads: {
        web: {
          source: "image",
          image: `${tb.registry}/tinyforge/web:{ref}`,
          pull: "missing",
          port: 8080,
          healthcheck: { path: "/healthz", interval: "200ms" },
          drain: "0ms",
          stop_timeout: "0s",
        },
      },
    }),
  );
  return file;
}

function deploy(file: string, v: string, sha: string): number {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      join(root, "bin/tinyforge.js"),
      "-c",
      file,
      "deploy",
      "web",
      "--stage",
      "production",
      "--sha",
      sha,
      "--ref",
      v,
      "--json",
    ],
    { env, encoding: "utf8" },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`deploy to ${file} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  return ms;
}

const results: Record<number, number> = {};
const counts = [1, 2, 3];
for (const n of counts) {
  const file = config(n);
  deploy(file, "v1", "1111111"); // warm-up: the first deploy has no old version to retire
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(deploy(file, i % 2 ? "v1" : "v2", i % 2 ? "1111111" : "2222222"));
  results[n] = median(times);
  execFileSync(
    "node",
    [join(root, "bin/tinyforge.js"), "-c", file, "teardown", "web", "--stage", "production"],
    {
      env,
      stdio: "ignore",
    },
  );
}
console.log(`\nhosts: one deploy to N hosts as one release, median of ${runs} (ms)`);
for (const n of counts)
  console.log(
    `  ${n} host${n > 1 ? "s" : " "}  ${results[n]!.toFixed(0).padStart(6)}  ×${(results[n]! / results[1]!).toFixed(2)}`,
  );
const ratio = results[3]! / results[1]!;
console.log(`  3 hosts / 1 host: ×${ratio.toFixed(2)} (goal ≤ ×1.30: ${ratio <= 1.3 ? "met" : "not met"})`);
