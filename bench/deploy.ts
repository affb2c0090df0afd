// Benchmark: tinyforge's blue-green deploy of a prebuilt image vs a shell script doing the same
// steps with the docker CLI over ssh. Both run as processes, alternately, in one run on one
// machine; we print medians and their ratio (machines here are noisy: compare, never assert).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

const root = join(import.meta.dirname, "..");
const tb = JSON.parse(readFileSync(join(root, ".testbed/env.json"), "utf8"));
const runs = Number(process.env.BENCH_RUNS ?? 7);
const image = (v: string) => `${tb.registry}/tinyforge/web:${v}`;
const logins = () => (readFileSync(tb.sshdLog, "utf8").match(/Accepted publickey for/g) ?? []).length;

const dir = mkdtempSync(join(tmpdir(), "tf-bench-"));
const project = `bench${process.pid}`;
writeFileSync(
  join(dir, "tinyforge.yml"),
  stringify({
    project,
    hosts: [`ssh://${tb.sshUser}@${tb.sshHost}:${tb.sshPort}`],
    state_dir: join(dir, "state"),
    stages: { production: { branch: "main" } },
    workloads: {
      // Same work as the script: no drain, kill the old container at once (the script's rm -f).
      web: {
        source: "image",
        image: `${tb.registry}/tinyforge/web:{ref}`,
        port: 8080,
        deploy_strategy: "blue-green",
        healthcheck: { path: "/healthz", retries: 30, interval: "300ms", timeout: "2s" },
        drain: "0ms",
        stop_timeout: "0s",
      },
    },
  }),
);
const env = {
  ...process.env,
  TINYFORGE_SSH_KEY_FILE: tb.sshKeyFile,
  TINYFORGE_KNOWN_HOSTS_FILE: tb.knownHostsFile,
};

function timed(cmd: string, args: string[]): { ms: number; logins: number } {
  const l0 = logins();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return { ms, logins: logins() - l0 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const tf: { ms: number; logins: number }[] = [];
const sh: { ms: number; logins: number }[] = [];
let oldName = "";
// Warm both paths once (image pulled, node's file cache) so run 1 is not an outlier.
const cli = (v: string, sha: string) =>
  timed(process.execPath, [
    join(root, "bin/tinyforge.js"),
    "-c",
    join(dir, "tinyforge.yml"),
    "deploy",
    "web",
    "--stage",
    "production",
    "--sha",
    sha,
    "--ref",
    v,
  ]);
const script = (v: string, i: number) => {
  const name = `${project}-sh-${i}`;
  const r = timed("bash", [
    join(root, "bench/baseline.sh"),
    `${tb.sshUser}@${tb.sshHost}`,
    String(tb.sshPort),
    tb.sshKeyFile,
    tb.knownHostsFile,
    image(v),
    name,
    oldName,
  ]);
  oldName = name;
  return r;
};
cli("v1", "a000000");
script("v1", 0);
for (let i = 1; i <= runs; i++) {
  const v = i % 2 ? "v2" : "v1";
  tf.push(cli(v, `${i % 2 ? "b" : "a"}${String(i).padStart(6, "0")}`));
  sh.push(script(v, i));
}

execFileSync("bash", [
  "-c",
  `docker rm -f $(docker ps -aq --filter label=dev.tinyforge.project=${project}) ${oldName} >/dev/null 2>&1 || true`,
]);

const result = {
  runs,
  tinyforge: {
    medianMs: Math.round(median(tf.map((r) => r.ms))),
    sshLoginsPerDeploy: median(tf.map((r) => r.logins)),
  },
  shellScript: {
    medianMs: Math.round(median(sh.map((r) => r.ms))),
    sshLoginsPerDeploy: median(sh.map((r) => r.logins)),
  },
  ratio: 0,
};
result.ratio = Number((result.tinyforge.medianMs / result.shellScript.medianMs).toFixed(2));

console.log(
  `blue-green deploy of a prebuilt image over SSH, median of ${runs} runs each (same machine, same run)\n`,
);
console.log("| way                         | median ms | ssh logins/deploy |");
console.log("|-----------------------------|-----------|-------------------|");
console.log(
  `| tinyforge deploy (CLI)      | ${String(result.tinyforge.medianMs).padStart(9)} | ${String(result.tinyforge.sshLoginsPerDeploy).padStart(17)} |`,
);
console.log(
  `| shell script, docker CLI    | ${String(result.shellScript.medianMs).padStart(9)} | ${String(result.shellScript.sshLoginsPerDeploy).padStart(17)} |`,
);
console.log(`\nratio tinyforge / script: ${result.ratio} (below 1 = tinyforge faster)\n`);
console.log(JSON.stringify(result));
