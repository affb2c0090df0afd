// Benchmark: a blue-green deploy of a prebuilt image, side by side in one run, interleaved:
//   floor      the local docker CLI, no SSH: `docker run` → first 200 on /healthz → old removed
//   script     bench/baseline.sh: the same steps with the docker CLI, one `ssh` per step
//   tinyforge  `tinyforge deploy` over SSH with the same work (no proxy, no drain, old killed at once)
// once with the test app (it serves as soon as it starts) and once with the same app made to boot in
// 1 s (web:v1-boot1s, built here): what the gate's pacing costs an app that is not ready at once,
// then, with the defaults (Caddy, drain 2s, stop_timeout 10s), the time until the new version
// serves through Caddy vs until the success reaches a JSON webhook vs until the command returns.
// Machines here are shared and noisy: medians and ratios, never a pass/fail.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

const root = join(import.meta.dirname, "..");
const tb = JSON.parse(readFileSync(join(root, ".testbed/env.json"), "utf8"));
const runs = Number(process.env.BENCH_RUNS ?? 7);
const defaultRuns = Number(process.env.BENCH_DEFAULT_RUNS ?? 3);
const bootRuns = Number(process.env.BENCH_BOOT_RUNS ?? 5);
const image = (v: string) => `${tb.registry}/tinyforge/web:${v}`;
const logins = () => (readFileSync(tb.sshdLog, "utf8").match(/Accepted publickey for/g) ?? []).length;

const dir = mkdtempSync(join(tmpdir(), "tf-bench-"));
const project = `bench${process.pid}`;
const sshHost = `ssh://${tb.sshUser}@${tb.sshHost}:${tb.sshPort}`;
const web = {
  source: "image",
  image: `${tb.registry}/tinyforge/web:{ref}`,
  port: 8080,
  deploy_strategy: "blue-green",
  // The image is on the host already, as for the floor.
  pull: "missing",
};
writeFileSync(
  join(dir, "same-work.yml"),
  stringify({
    project,
    hosts: [sshHost],
    state_dir: join(dir, "state"),
    stages: { production: { branch: "main" } },
    // Same work as the floor and the script: no drain, kill the old container at once (rm -f).
    workloads: { web: { ...web, healthcheck: { path: "/healthz" }, drain: "0ms", stop_timeout: "0s" } },
  }),
);
const env = {
  ...process.env,
  TINYFORGE_SSH_KEY_FILE: tb.sshKeyFile,
  TINYFORGE_KNOWN_HOSTS_FILE: tb.knownHostsFile,
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();

function timed(cmd: string, args: string[]): { ms: number; logins: number; stdout: string } {
  const l0 = logins();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return { ms, logins: logins() - l0, stdout: r.stdout };
}

/** GET through HTTP with a Host header (fetch cannot set one); never throws. */
function get(port: number, path: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port, path, headers: host ? { host } : {}, agent: false },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", () => resolve({ status: 0, body: "" }));
    req.setTimeout(2000, () => req.destroy());
    req.end();
  });
}

// The floor: what it costs at least to start the new version, see it answer, and remove the old.
let floorOld = "";
async function floor(v: string, i: string): Promise<{ ms: number; logins: number }> {
  const name = `${project}-floor-${i}`;
  const t0 = performance.now();
  docker("run", "-d", "--name", name, "-p", "127.0.0.1::8080", image(v));
  const port = Number(docker("port", name, "8080/tcp").split("\n")[0]!.split(":").pop());
  while ((await get(port, "/healthz")).status !== 200) await sleep(5);
  if (floorOld) docker("rm", "-f", floorOld);
  const ms = performance.now() - t0;
  floorOld = name;
  return { ms, logins: 0 };
}

let scriptOld = "";
function script(v: string, i: string) {
  const name = `${project}-sh-${i}`;
  const r = timed("bash", [
    join(root, "bench/baseline.sh"),
    `${tb.sshUser}@${tb.sshHost}`,
    String(tb.sshPort),
    tb.sshKeyFile,
    tb.knownHostsFile,
    image(v),
    name,
    scriptOld,
  ]);
  scriptOld = name;
  return r;
}

const cli = (config: string, v: string, sha: string) =>
  timed(process.execPath, [
    join(root, "bin/tinyforge.js"),
    ...[
      "-c",
      join(dir, config),
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
  ]);

// The test app with a 1 s boot: the same image behind a shell that sleeps 1 s before the server
// listens (the trap still stops it at once). Built with the classic builder, which resolves FROM
// from the local store, and pushed beside the others so every way gets it as it gets them.
function buildBoot1s(v: "v1" | "v2"): void {
  const ctx = mkdtempSync(join(tmpdir(), "tf-bench-boot-"));
  writeFileSync(
    join(ctx, "Dockerfile"),
    [
      `FROM tinyforge/web:${v}`,
      `CMD ["/bin/sh", "-c", "trap 'exit 0' TERM INT; (sleep 1; exec busybox httpd -f -p 8080 -h /www) & wait"]`,
      "",
    ].join("\n"),
  );
  // Quiet unless it fails (the classic builder warns that it is deprecated): the error carries stderr.
  execFileSync("docker", ["build", "-q", "-t", image(`${v}-boot1s`), ctx], {
    env: { ...process.env, DOCKER_BUILDKIT: "0" },
    stdio: "pipe",
  });
  execFileSync("docker", ["push", "-q", image(`${v}-boot1s`)], { stdio: "pipe" });
}
buildBoot1s("v1");
buildBoot1s("v2");

type Result = { ms: number; logins: number; steps?: { name: string; ms: number }[] };
type Rows = Record<"floor" | "script" | "tinyforge", Result[]>;
// Part of tinyforge's overhead is Node's own start, which the floor (a Go CLI) does not pay: said
// apart, with what an inherited NODE_EXTRA_CA_CERTS adds to it (Node 20 then loads every root
// certificate before the first line of JavaScript runs).
const nodeStart: { bare: number[]; withoutExtraCa: number[] } = { bare: [], withoutExtraCa: [] };
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
function timeNodeStart() {
  nodeStart.bare.push(timed(process.execPath, ["-e", "0"]).ms);
  if (!extraCa) return;
  const without: NodeJS.ProcessEnv = { ...env };
  delete without.NODE_EXTRA_CA_CERTS;
  const t0 = performance.now();
  spawnSync(process.execPath, ["-e", "0"], { env: without });
  nodeStart.withoutExtraCa.push(performance.now() - t0);
}

/**
 * The three ways, interleaved run by run, v1 ⇄ v2 of the image tag `suffix`; `key` keeps their
 * container names and SHAs apart from another table's (a deploy of the SHA that serves is a no-op).
 */
async function interleaved(suffix: string, n: number, key: "a" | "e"): Promise<Rows> {
  const rows: Rows = { floor: [], script: [], tinyforge: [] };
  const sha = (i: number) =>
    `${i % 2 ? String.fromCharCode(key.charCodeAt(0) + 1) : key}${String(i).padStart(6, "0")}`;
  // Warm every path once (image present, node's file cache) so run 1 is not an outlier.
  await floor(`v1${suffix}`, `${key}0`);
  script(`v1${suffix}`, `${key}0`);
  cli("same-work.yml", `v1${suffix}`, sha(0));
  for (let i = 1; i <= n; i++) {
    const v = `${i % 2 ? "v2" : "v1"}${suffix}`;
    timeNodeStart();
    rows.floor.push(await floor(v, `${key}${i}`));
    rows.script.push(script(v, `${key}${i}`));
    const r = cli("same-work.yml", v, sha(i));
    rows.tinyforge.push({ ...r, steps: JSON.parse(r.stdout).steps });
  }
  return rows;
}
const rows = await interleaved("", runs, "a");
const boot = await interleaved("-boot1s", bootRuns, "e");

// With the defaults: Caddy in front, drain 2s, stop_timeout 10s; the success goes to a webhook.
const webhookAt: number[] = [];
const hook = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    webhookAt.push(Date.now());
    res.end("ok");
  });
});
await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
const hostname = `stage-production-${project}.bench.test`;
writeFileSync(
  join(dir, "defaults.yml"),
  stringify({
    project,
    hosts: [sshHost],
    state_dir: join(dir, "state-defaults"),
    proxy: { driver: "caddy", admin: tb.caddy.admin, server: tb.caddy.server },
    domain: "bench.test",
    stages: { production: { branch: "main" } },
    notify: { webhook: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/` },
    workloads: { web: { ...web, healthcheck: { path: "/healthz" } } },
  }),
);
const defaults: { servesMs: number; reportedMs: number; returnedMs: number; servedMs: number }[] = [];
for (let i = 0; i <= defaultRuns; i++) {
  const v = i % 2 ? "v2" : "v1";
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [
      join(root, "bin/tinyforge.js"),
      "-c",
      join(dir, "defaults.yml"),
      "deploy",
      "--sha",
      `d${String(i).padStart(6, "0")}`,
      "--ref",
      v,
      "--json",
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const returned = new Promise<number>((r) => child.on("exit", () => r(Date.now())));
  let servesAt = 0;
  let done = false;
  void returned.then(() => (done = true));
  while (!done && !servesAt) {
    if ((await get(tb.caddy.port, "/", hostname)).body.trim() === v) servesAt = Date.now();
    else await sleep(2);
  }
  const end = await returned;
  if (!out) throw new Error(`the deploy with the defaults failed: ${err}`);
  await sleep(50);
  const reportedAt = webhookAt.pop() ?? Number.NaN;
  // Run 0 has no old version to retire: a warm-up.
  if (i > 0)
    defaults.push({
      servesMs: servesAt - t0,
      reportedMs: reportedAt - t0,
      returnedMs: end - t0,
      servedMs: JSON.parse(out).servedMs,
    });
}
hook.close();

execFileSync("bash", [
  "-c",
  `docker rm -f $(docker ps -aq --filter label=dev.tinyforge.project=${project}) ${floorOld} ${scriptOld} >/dev/null 2>&1 || true`,
]);
await fetch(`${tb.caddy.admin}/id/${hostname}`, { method: "DELETE" }).catch(() => undefined);

const medOf = (rs: Rows, k: keyof Rows) => Math.round(median(rs[k].map((r) => r.ms)));
const med = (k: keyof Rows) => medOf(rows, k);
const floorMs = med("floor");
const bootFloorMs = medOf(boot, "floor");

/** One table: the three ways' medians, their ratios to the floor, and what tinyforge adds to it. */
function table(title: string, rs: Rows) {
  const fl = medOf(rs, "floor");
  const line = (name: string, k: keyof Rows) =>
    `| ${name.padEnd(34)} | ${String(medOf(rs, k)).padStart(9)} | ${(medOf(rs, k) / fl).toFixed(2).padStart(8)} | ${String(median(rs[k].map((r) => r.logins))).padStart(11)} |`;
  console.log(`\n${title}\n`);
  console.log(`| ${"way".padEnd(34)} | median ms | × floor  | ssh logins  |`);
  console.log(`|${"-".repeat(36)}|-----------|----------|-------------|`);
  console.log(line("floor: local docker, no SSH", "floor"));
  console.log(line("shell script: ssh + docker CLI", "script"));
  console.log(line("tinyforge deploy (CLI, over SSH)", "tinyforge"));
  // The issue's goal in absolute terms: what tinyforge adds to the floor's work, in ms.
  console.log(`\ntinyforge − floor: ${medOf(rs, "tinyforge") - fl} ms over the floor's work`);
}
const stepsLine = (rs: Rows) =>
  (rs.tinyforge[0]?.steps?.map((s) => s.name) ?? [])
    .map((n) => `${n} ${median(rs.tinyforge.map((r) => r.steps?.find((s) => s.name === n)?.ms ?? 0))}`)
    .join(", ");

table(`blue-green deploy of a prebuilt image, median of ${runs} interleaved runs each`, rows);
const bareMs = Math.round(median(nodeStart.bare));
console.log(
  `of which Node's own start (node -e 0, median): ${bareMs} ms${
    extraCa
      ? `, ${bareMs - Math.round(median(nodeStart.withoutExtraCa))} ms of it for NODE_EXTRA_CA_CERTS (set in this environment)`
      : ""
  }`,
);
console.log(`\ntinyforge's steps (median ms): ${stepsLine(rows)}`);
table(`the same app booting in 1 s (web:v1-boot1s), median of ${bootRuns} interleaved runs each`, boot);
console.log(`\ntinyforge's steps (median ms): ${stepsLine(boot)}`);
const dm = (k: keyof (typeof defaults)[number]) => Math.round(median(defaults.map((d) => d[k])));
console.log(
  `\nwith the defaults (Caddy, drain 2s, stop_timeout 10s), median of ${defaultRuns} runs, ms from the start`,
);
console.log(`| ${"moment".padEnd(44)} | ${"ms".padStart(6)} |`);
console.log(`|${"-".repeat(46)}|--------|`);
console.log(`| ${"new version answers through Caddy".padEnd(44)} | ${String(dm("servesMs")).padStart(6)} |`);
console.log(
  `| ${"success reported (webhook received)".padEnd(44)} | ${String(dm("reportedMs")).padStart(6)} |`,
);
console.log(
  `| ${"command returned (old release retired)".padEnd(44)} | ${String(dm("returnedMs")).padStart(6)} |`,
);
console.log(
  `reported − serves: ${dm("reportedMs") - dm("servesMs")} ms (servedMs in --json: ${dm("servedMs")})\n`,
);
console.log(
  JSON.stringify({
    bench: "deploy",
    runs,
    floorMs,
    scriptMs: med("script"),
    tinyforgeMs: med("tinyforge"),
    ratioToFloor: Number((med("tinyforge") / floorMs).toFixed(2)),
    overFloorMs: med("tinyforge") - floorMs,
    nodeStartMs: bareMs,
    ...(extraCa ? { nodeStartWithoutExtraCaMs: Math.round(median(nodeStart.withoutExtraCa)) } : {}),
    defaults: { servesMs: dm("servesMs"), reportedMs: dm("reportedMs"), returnedMs: dm("returnedMs") },
    boot1s: {
      runs: bootRuns,
      floorMs: bootFloorMs,
      scriptMs: medOf(boot, "script"),
      tinyforgeMs: medOf(boot, "tinyforge"),
      ratioToFloor: Number((medOf(boot, "tinyforge") / bootFloorMs).toFixed(2)),
      overFloorMs: medOf(boot, "tinyforge") - bootFloorMs,
    },
  }),
);
