// Benchmark: a swap under load across two hosts behind the load balancer. autocannon holds
// BENCH_CONNECTIONS (default 64) keep-alive connections through the testbed's Caddy, acting as
// `load_balancer:` in front of the shared engine (sshd :2222) and the second engine (its own sshd
// and user), while tinyforge deploys v2 → v1 → v2 … blue-green to both hosts as one release. The
// load balancer's route moves once both hosts swapped, before either drains its old container:
// 0 non-2xx is the expectation. Every 2xx body must be "v1" or "v2".
// The app is tinyforge/bench-web:{v1,v2} (bench/swap.ts builds it on the shared engine; it is
// copied to the second engine here). Deploys run bin/tinyforge.js (dist/: `npm run bench` builds
// it first). Bounded: BENCH_SECONDS (default 6) of load, BENCH_SWAPS (default 3) deploys at most.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import Dockerode from "dockerode";
import { stringify } from "yaml";

const root = join(import.meta.dirname, "..");
const tb = JSON.parse(readFileSync(join(root, ".testbed/env.json"), "utf8"));
if (!tb.engine2 || !tb.caddy)
  throw new Error(".testbed/env.json has no engine2/caddy: run bash scripts/testbed.sh up");
const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const swaps = Number(process.env.BENCH_SWAPS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);

const dir = mkdtempSync(join(tmpdir(), "tf-bench-lb-"));
const knownHosts = join(dir, "known_hosts");
writeFileSync(
  knownHosts,
  readFileSync(tb.knownHostsFile, "utf8") + readFileSync(tb.engine2.knownHostsFile, "utf8"),
);
const env = { ...process.env, TINYFORGE_SSH_KEY_FILE: tb.sshKeyFile, TINYFORGE_KNOWN_HOSTS_FILE: knownHosts };
const host1 = `ssh://${tb.sshUser}@${tb.sshHost}:${tb.sshPort}`;
const engines = [
  new Dockerode({ socketPath: tb.dockerSocket }),
  new Dockerode({ socketPath: tb.engine2.dockerSocket }),
];

// The bench app on the second engine too, by id (docker save | docker load).
for (const v of ["v1", "v2"]) {
  const image = `tinyforge/bench-web:${v}`;
  const id = (await engines[0]!.getImage(image).inspect()).Id;
  const there = await engines[1]!
    .getImage(image)
    .inspect()
    .then(
      (i) => i.Id,
      () => "",
    );
  if (there !== id)
    execFileSync(
      "sh",
      ["-c", `docker save "$1" | docker -H "unix://$2" load -q`, "sh", image, tb.engine2.dockerSocket],
      {
        stdio: "ignore",
      },
    );
}

const project = `benchlb${process.pid}`;
const file = join(dir, "tinyforge.yml");
writeFileSync(
  file,
  stringify({
    project,
    hosts: [host1, tb.engine2.host],
    state_dir: ".tinyforge-bench",
    domain: "bench.test",
    load_balancer: {
      host: host1,
      driver: "caddy",
      admin: tb.caddy.admin,
      server: tb.caddy.server,
      health_interval: "1s",
    },
    stages: { production: { branch: "main" } },
    workloads: {
      // drain and stop_timeout stay at their defaults: the numbers are what a user gets.
      web: {
        source: "image",
        image: "tinyforge/bench-web:{ref}",
        pull: "missing",
        port: 8080,
        healthcheck: { path: "/healthz", retries: 30, interval: "200ms", timeout: "2s" },
      },
    },
  }),
);

let sha = 0;
const deployTimes: number[] = [];
async function deploy(ref: string): Promise<void> {
  sha++;
  const t0 = performance.now();
  const r = await run([
    "deploy",
    "web",
    "--stage",
    "production",
    "--ref",
    ref,
    "--sha",
    String(sha).padStart(7, "0"),
    "--json",
  ]);
  if (r.code !== 0)
    throw new Error(
      `deploy ${ref} failed (exit ${r.code}): ${r.stderr.slice(-1500)}${r.stdout.slice(-1500)}`,
    );
  deployTimes.push(Math.round(performance.now() - t0));
}

const hostname = `stage-production-${project}.bench.test`;
try {
  await deploy("v1");
  const instance = autocannon(
    {
      url: `http://127.0.0.1:${tb.caddy.port}/`,
      headers: { host: hostname },
      connections,
      duration: 120, // stopped explicitly; only a ceiling
      timeout: 5,
      verifyBody: (body) => String(body) === "v1\n" || String(body) === "v2\n",
    },
    () => undefined,
  );
  const done = new Promise<autocannon.Result>((resolve) => instance.on("done", resolve));
  await sleep(300);
  let serving = "v1";
  let n = 0;
  for (const until = Date.now() + seconds * 1000; n < swaps && (n < 2 || Date.now() < until); n++) {
    serving = serving === "v1" ? "v2" : "v1";
    await deploy(serving);
  }
  await sleep(300);
  instance.stop();
  const r = await done;
  const result = {
    hosts: 2,
    connections,
    swaps: n,
    requests: r.requests.total,
    non2xx: r.non2xx,
    wrongBody: Math.max(0, r.mismatches - r.non2xx),
    socketErrors: r.errors,
    p99Ms: r.latency.p99,
    reqPerSec: Math.round(r.requests.total / r.duration),
    deployMs: deployTimes.slice(1),
  };
  console.log(
    `\nswap under load across 2 hosts behind the load balancer (caddy), ${connections} keep-alive connections`,
  );
  console.log(
    `  ${n} deploys, ${result.requests} requests, non-2xx ${result.non2xx}, wrong body ${result.wrongBody}, socket errors ${result.socketErrors}, p99 ${result.p99Ms} ms, ${result.reqPerSec} req/s`,
  );
  console.log(`  deploys: ${result.deployMs.join(" / ")} ms`);
  console.log(JSON.stringify(result));
} finally {
  await run(["teardown", "web", "--stage", "production"]).catch(() => undefined);
  for (const d of engines) {
    const left = await d.listContainers({
      all: true,
      filters: { label: [`dev.tinyforge.project=${project}`] },
    });
    for (const c of left)
      await d
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
  rmSync(dir, { recursive: true, force: true });
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin/tinyforge.js"), "-c", file, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
