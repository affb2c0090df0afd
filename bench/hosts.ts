// Benchmark: the wall time of one `tinyforge deploy` (blue-green, a prebuilt image, no proxy) to
// 1, 2 and 3 hosts, where several hosts are one release (gated in parallel, swapped together). The
// hosts are the testbed's: the shared engine behind its sshd (as root), and the second and third
// engines, each behind its own sshd as its own user (so its own home and deploy state). The goal:
// 3 hosts within 1.3× one host. The three engines share this machine's cores, so beside each
// deploy runs its floor, interleaved: the same blue-green done with the local docker CLI on the
// same 1, 2 or 3 engines at once, no SSH — what the machine itself needs to start N containers
// side by side. Medians of BENCH_RUNS (default 5), never a pass/fail.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { request } from "node:http";
import { promisify } from "node:util";
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

const run = promisify(execFile);
const sockets: string[] = [tb.dockerSocket, tb.engine2.dockerSocket, tb.engine3.dockerSocket];
const healthy = (port: number) =>
  new Promise<boolean>((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
    req.end();
  });

/** One engine's blue-green with the docker CLI: run the new, wait for its 200, remove the old. */
async function floorOn(socket: string, name: string, old: string | undefined, v: string): Promise<void> {
  const docker = (...args: string[]) => run("docker", ["-H", `unix://${socket}`, ...args]);
  await docker("run", "-d", "--name", name, "-p", "127.0.0.1::8080", `${tb.registry}/tinyforge/web:${v}`);
  const port = Number((await docker("port", name, "8080/tcp")).stdout.split("\n")[0]!.split(":").pop());
  while (!(await healthy(port))) await new Promise((r) => setTimeout(r, 5));
  if (old) await docker("rm", "-f", old);
}

const floorOld: (string | undefined)[] = [];
async function floor(n: number, i: number, v: string): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    sockets
      .slice(0, n)
      .map((sock, e) => floorOn(sock, `benchfloor${process.pid}-${n}-${e}-${i}`, floorOld[e], v)),
  );
  for (let e = 0; e < n; e++) floorOld[e] = `benchfloor${process.pid}-${n}-${e}-${i}`;
  return performance.now() - t0;
}
async function clearFloor(n: number): Promise<void> {
  await Promise.all(
    sockets
      .slice(0, n)
      .map((sock, e) => floorOld[e] && run("docker", ["-H", `unix://${sock}`, "rm", "-f", floorOld[e]!])),
  );
  floorOld.length = 0;
}

const results: Record<number, number> = {};
const floors: Record<number, number> = {};
const counts = [1, 2, 3];
for (const n of counts) {
  const file = config(n);
  deploy(file, "v1", "1111111"); // warm-up: the first deploy has no old version to retire
  await floor(n, 0, "v1");
  const times: number[] = [];
  const floorTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    floorTimes.push(await floor(n, i + 1, i % 2 ? "v1" : "v2"));
    times.push(deploy(file, i % 2 ? "v1" : "v2", i % 2 ? "1111111" : "2222222"));
  }
  await clearFloor(n);
  results[n] = median(times);
  floors[n] = median(floorTimes);
  execFileSync(
    "node",
    [join(root, "bin/tinyforge.js"), "-c", file, "teardown", "web", "--stage", "production"],
    {
      env,
      stdio: "ignore",
    },
  );
}
console.log(`\nhosts: one deploy to N hosts as one release, median of ${runs} interleaved runs (ms)`);
console.log("  hosts  tinyforge  × 1 host   floor (docker CLI on N engines at once)  × 1 engine");
for (const n of counts)
  console.log(
    `  ${n}      ${results[n]!.toFixed(0).padStart(9)}  ×${(results[n]! / results[1]!).toFixed(2).padEnd(7)}  ${floors[n]!.toFixed(0).padStart(39)}  ×${(floors[n]! / floors[1]!).toFixed(2)}`,
  );
const ratio = results[3]! / results[1]!;
const machine = floors[3]! / floors[1]!;
console.log(
  `  3 hosts / 1 host: ×${ratio.toFixed(2)} (goal ≤ ×1.30: ${ratio <= 1.3 ? "met" : "not met"}); the floor on 3 engines sharing this machine: ×${machine.toFixed(2)}`,
);
console.log(
  JSON.stringify({
    bench: "hosts",
    runs,
    tinyforgeMs: results,
    floorMs: floors,
    ratio3: ratio,
    floorRatio3: machine,
  }),
);
