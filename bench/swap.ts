// Benchmark: is a swap really zero-downtime? autocannon holds 64 keep-alive connections through the
// testbed's real Caddy and nginx (loopback) while, per proxy:
//   steady      nothing changes (the floor of this machine and load generator)
//   reload      the proxy reloads every 500 ms with no change to the measured route: the driver
//               moves another route back and forth (the proxy's own baseline)
//   blue-green  tinyforge deploys v2 → v1 → v2 … blue-green, with the config's defaults (drain 2s)
//   recreate    the same deploys with --strategy recreate, for contrast
// Every 2xx body must be "v1" or "v2": a route that is briefly missing answers something else
// (Caddy: an empty 200; nginx: its default server's 404), counted as "wrong body" or non-2xx.
// Deploys run in their own processes (the CLI bundled from this tree's source), like a CI runner.
// Loopback only. Bounded: BENCH_SECONDS (default 6) of load per scenario; a deploy scenario swaps
// v1 → v2 → v1 at least, then starts no new deploy once that time is up (BENCH_SWAPS at most,
// default 3): about 10 s here, a deploy taking 4-5 s with the default 2 s drain.
//
// The app is tinyforge/bench-web:{v1,v2}, built here: Caddy's own binary answering "vN" (`caddy
// respond`) in a scratch image. The test images' busybox httpd forks per connection with a listen
// backlog of about 9: at 64 connections its accept queue overflows (ListenOverflows in the
// container's netns) and every dropped SYN waits a 1 s or 3 s retransmit, so p99 ≈ 1 s and timeouts
// that no swap caused. A Go server has a normal backlog and keep-alive, like the apps users run.
// BENCH_RATE paces the load (req/s over all connections); unset, it is as fast as it goes.
// BENCH_SCENARIOS (e.g. blue-green) runs only those; BENCH_DEPLOY_LOG=FILE appends each deploy's
// stderr there (with TINYFORGE_TRACE=1: its calls and their times).
//
//   npx tsx bench/swap.ts [caddy|nginx ...]
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import autocannon from "autocannon";
import Dockerode from "dockerode";
import { stringify } from "yaml";
import { openHost } from "../src/adapters/open-host.js";
import { CaddyProxy } from "../src/adapters/proxy/caddy.js";
import { NginxProxy } from "../src/adapters/proxy/nginx.js";
import type { Proxy } from "../src/ports/proxy.js";

interface Tb {
  sshHost: string;
  sshPort: number;
  sshUser: string;
  sshKeyFile: string;
  knownHostsFile: string;
  dockerSocket: string;
  caddy: { admin: string; server: string; port: number };
  nginx: { configDir: string; command: string[]; listen: string; port: number };
}

type ProxyName = "caddy" | "nginx";

interface Measured {
  seconds: number;
  requests: number;
  non2xx: number;
  /** The non-2xx answers by status (a 502: the proxy sent the request to a container that was gone). */
  non2xxByStatus: Record<string, number>;
  wrongBody: number;
  socketErrors: number;
  errorCodes: Record<string, number>;
  p99Ms: number;
  reqPerSec: number;
}

interface Row extends Measured {
  proxy: ProxyName;
  scenario: "steady" | "reload" | "blue-green" | "recreate";
  /** Deploys (blue-green, recreate) or route reloads (reload) during the load. */
  changes: number;
}

const root = join(import.meta.dirname, "..");
const tb = JSON.parse(readFileSync(join(root, ".testbed/env.json"), "utf8")) as Tb;
if (!tb.caddy || !tb.nginx) throw new Error("no caddy/nginx in .testbed/env.json: run npm run testbed");
const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const swaps = Number(process.env.BENCH_SWAPS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const rate = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
const scenarios = (process.env.BENCH_SCENARIOS ?? "steady,reload,blue-green,recreate").split(",");
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const proxies = (["caddy", "nginx"] as const).filter((p) => only.length === 0 || only.includes(p));
const sshUrl = `ssh://${tb.sshUser}@${tb.sshHost}:${tb.sshPort}`;
const env = {
  ...process.env,
  TINYFORGE_SSH_KEY_FILE: tb.sshKeyFile,
  TINYFORGE_KNOWN_HOSTS_FILE: tb.knownHostsFile,
};
const docker = new Dockerode({ socketPath: tb.dockerSocket });

const rows: Row[] = [];
const deploys: Array<{ proxy: ProxyName; strategy: string; ms: number; steps: string }> = [];
if (process.argv[2] === "--reloader") await reloaderProcess(process.argv[3] as ProxyName, process.argv[4]!);
else await main();

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "tf-swap-"));
  try {
    const cli = await bundleCli(work);
    buildBenchImages(work);
    for (const proxy of proxies) await benchProxy(proxy, cli, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  printTable();
  for (const d of deploys)
    process.stderr.write(`deploy via ${d.proxy}, ${d.strategy}: ${d.ms} ms (${d.steps})\n`);
  console.log(JSON.stringify({ connections, rate, seconds, swaps, rows, deploys }));
}

async function benchProxy(proxy: ProxyName, cli: string, work: string): Promise<void> {
  const dir = mkdtempSync(join(work, `${proxy}-`));
  const project = `swap-${proxy}-${process.pid}`;
  const config = join(dir, "tinyforge.yml");
  writeFileSync(
    config,
    stringify({
      project,
      hosts: [sshUrl],
      state_dir: join(dir, "state"),
      proxy:
        proxy === "caddy"
          ? { driver: "caddy", admin: tb.caddy.admin, server: tb.caddy.server }
          : {
              driver: "nginx",
              config_dir: tb.nginx.configDir,
              command: tb.nginx.command,
              listen: tb.nginx.listen,
            },
      domain: "bench.test",
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
  let serving = "v1";
  const deploy = async (
    ref: string,
    strategy: "blue-green" | "recreate",
  ): Promise<Record<string, unknown>> => {
    sha++;
    const t0 = performance.now();
    const r = await run(process.execPath, [
      cli,
      "-c",
      config,
      "deploy",
      "web",
      "--stage",
      "production",
      "--ref",
      ref,
      "--sha",
      String(sha).padStart(7, "0"),
      "--strategy",
      strategy,
      "--json",
    ]);
    const result = JSON.parse(r.stdout.split("\n").find((l) => l.startsWith("{")) ?? "{}");
    if (process.env.BENCH_DEPLOY_LOG) appendFileSync(process.env.BENCH_DEPLOY_LOG, r.stderr);
    if (r.code !== 0)
      throw new Error(`deploy ${ref} failed (exit ${r.code}): ${JSON.stringify(result.error ?? r.stderr)}`);
    const steps = (result.steps as Array<{ name: string; ms: number }>)
      .map((s) => `${s.name} ${s.ms}`)
      .join(", ");
    deploys.push({ proxy, strategy, ms: Math.round(performance.now() - t0), steps });
    serving = ref;
    return result;
  };
  let hostname: string | undefined;
  try {
    hostname = new URL((await deploy("v1", "blue-green")).url as string).hostname;
    const load = (title: string) => startLoad(tb[proxy].port, hostname!, title);

    if (scenarios.includes("steady")) {
      process.stderr.write(`[${proxy}] steady, ${seconds} s\n`);
      const l = load("steady");
      await sleep(seconds * 1000);
      rows.push({ proxy, scenario: "steady", changes: 0, ...(await l.stop()) });
    }

    if (scenarios.includes("reload")) {
      process.stderr.write(`[${proxy}] reload baseline, ${seconds} s\n`);
      // Its own process, like a deploy: SSH work in this one would slow the load generator itself.
      const reloader = spawnReloader(proxy, `reload-${process.pid}.bench.test`);
      await reloader.ready;
      const l = load("reload");
      const reloads = await reloader.done.catch(async (e) => {
        await l.stop();
        throw e;
      });
      rows.push({ proxy, scenario: "reload", changes: reloads, ...(await l.stop()) });
    }

    for (const strategy of ["blue-green", "recreate"] as const) {
      if (!scenarios.includes(strategy)) continue;
      process.stderr.write(`[${proxy}] ${strategy}, up to ${swaps} deploys in ${seconds} s\n`);
      const l = load(strategy);
      await sleep(300);
      let n = 0;
      for (const until = Date.now() + seconds * 1000; n < swaps && (n < 2 || Date.now() < until); n++) {
        await deploy(serving === "v1" ? "v2" : "v1", strategy);
      }
      // Requests in flight at the last swap finish before the count is taken.
      await sleep(300);
      rows.push({ proxy, scenario: strategy, changes: n, ...(await l.stop()) });
    }
  } finally {
    // Explicit, separate removal of the route (Proxy.remove), then the containers.
    if (hostname) await removeRoute(proxy, hostname).catch(() => undefined);
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`dev.tinyforge.project=${project}`] },
    });
    for (const c of left)
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
}

/** Keep-alive load against HOSTNAME through the proxy; stop() ends it and measures. */
function startLoad(port: number, hostname: string, title: string): { stop: () => Promise<Measured> } {
  const errorCodes: Record<string, number> = {};
  const instance = autocannon(
    {
      title,
      url: `http://127.0.0.1:${port}/`,
      headers: { host: hostname },
      connections,
      ...(rate ? { overallRate: rate } : {}),
      duration: 60, // stopped explicitly; only a ceiling
      timeout: 5,
      verifyBody: (body) => String(body) === "v1\n" || String(body) === "v2\n",
    },
    () => undefined,
  );
  instance.on("reqError", (e: NodeJS.ErrnoException) => {
    const code = e.code ?? e.message;
    errorCodes[code] = (errorCodes[code] ?? 0) + 1;
  });
  const done = new Promise<autocannon.Result>((resolve) => instance.on("done", resolve));
  return {
    async stop() {
      instance.stop();
      const r = await done;
      return {
        seconds: r.duration,
        requests: r.requests.total,
        non2xx: r.non2xx,
        non2xxByStatus: Object.fromEntries(
          Object.entries(r.statusCodeStats ?? {})
            .filter(([code]) => !code.startsWith("2"))
            .map(([code, stat]) => [code, stat?.count ?? 0]),
        ),
        // autocannon counts a non-2xx (never "v1"/"v2") as a mismatch too: keep the 2xx ones.
        wrongBody: Math.max(0, r.mismatches - r.non2xx),
        socketErrors: r.errors,
        errorCodes,
        p99Ms: r.latency.p99,
        reqPerSec: Math.round(r.requests.total / r.duration),
      };
    },
  };
}

async function driverFor(proxy: ProxyName): Promise<{ driver: Proxy; close: () => Promise<void> }> {
  const host = await openHost(sshUrl, {
    sshKey: readFileSync(tb.sshKeyFile, "utf8"),
    knownHosts: readFileSync(tb.knownHostsFile, "utf8"),
  });
  const driver: Proxy =
    proxy === "caddy"
      ? new CaddyProxy(host, { admin: tb.caddy.admin, server: tb.caddy.server, tls: false })
      : new NginxProxy(host, {
          configDir: tb.nginx.configDir,
          command: tb.nginx.command,
          listen: tb.nginx.listen,
          tls: false,
        });
  return { driver, close: () => host.close() };
}

async function removeRoute(proxy: ProxyName, hostname: string): Promise<void> {
  const { driver, close } = await driverFor(proxy);
  try {
    await driver.remove(hostname);
  } finally {
    await close();
  }
}

/**
 * Child mode: a proxy reload that leaves the measured route alone, every 500 ms for BENCH_SECONDS.
 * The driver moves an unrelated route back and forth, so the proxy goes through exactly what a
 * deploy's route step makes it do. Prints "ready" once connected, then the number of reloads.
 */
async function reloaderProcess(proxy: ProxyName, hostname: string): Promise<void> {
  const { driver, close } = await driverFor(proxy);
  console.log("ready");
  let n = 0;
  try {
    for (const until = Date.now() + seconds * 1000; Date.now() < until; n++) {
      await driver.upsert({ hostname, upstream: { host: "127.0.0.1", port: 40000 + (n % 2) }, tls: false });
      await sleep(500);
    }
  } finally {
    await driver.remove(hostname).catch(() => undefined);
    await close();
  }
  console.log(JSON.stringify({ reloads: n }));
}

function spawnReloader(proxy: ProxyName, hostname: string): { ready: Promise<void>; done: Promise<number> } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "bench/swap.ts"), "--reloader", proxy, hostname],
    {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout.on("data", (c) => {
    out += c;
    if (out.includes("ready\n")) onReady();
  });
  const done = new Promise<number>((resolve, reject) =>
    child.on("close", (code) => {
      const m = /\{"reloads":(\d+)\}/.exec(out);
      if (code === 0 && m) resolve(Number(m[1]));
      else reject(new Error(`reloader exited ${code}: ${out}`));
    }),
  );
  // A reloader that dies before "ready" must not leave the bench waiting.
  done.catch(() => onReady());
  return { ready, done };
}

/**
 * tinyforge/bench-web:v1 and :v2 from this machine's caddy binary and the libraries ldd names, in a
 * scratch image; rebuilt only when the binary or the Dockerfile changed (a hash label).
 */
function buildBenchImages(dir: string): void {
  const dockerEnv = { ...process.env, DOCKER_HOST: `unix://${tb.dockerSocket}`, DOCKER_BUILDKIT: "0" };
  const caddy = execFileSync("sh", ["-c", "command -v caddy"], { encoding: "utf8" }).trim();
  let libs: string[] = [];
  try {
    libs = execFileSync("ldd", [caddy], { encoding: "utf8" })
      .split("\n")
      .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
      .filter((p): p is string => !!p);
  } catch {
    // "not a dynamic executable": a static caddy needs no libraries.
  }
  for (const version of ["v1", "v2"]) {
    const dockerfile = [
      "FROM scratch",
      "COPY root/ /",
      "ENV HOME=/tmp XDG_CONFIG_HOME=/tmp XDG_DATA_HOME=/tmp",
      "EXPOSE 8080",
      `CMD ["/caddy", "respond", "--listen", ":8080", "--body", "${version}\\n"]`,
      "",
    ].join("\n");
    const hash = createHash("sha256")
      .update(readFileSync(caddy))
      .update(dockerfile)
      .digest("hex")
      .slice(0, 16);
    const tag = `tinyforge/bench-web:${version}`;
    const current = (() => {
      try {
        return execFileSync(
          "docker",
          ["image", "inspect", "-f", '{{ index .Config.Labels "dev.tinyforge.bench.hash" }}', tag],
          {
            encoding: "utf8",
            env: dockerEnv,
            stdio: ["ignore", "pipe", "ignore"],
          },
        ).trim();
      } catch {
        return "";
      }
    })();
    if (current === hash) continue;
    const ctx = join(dir, `image-${version}`);
    mkdirSync(join(ctx, "root/tmp"), { recursive: true });
    copyFileSync(caddy, join(ctx, "root/caddy"));
    for (const lib of libs) {
      mkdirSync(join(ctx, "root", dirname(lib)), { recursive: true });
      copyFileSync(lib, join(ctx, "root", lib));
    }
    writeFileSync(join(ctx, "Dockerfile"), dockerfile);
    process.stderr.write(`building ${tag}\n`);
    execFileSync("docker", ["build", "-q", "--label", `dev.tinyforge.bench.hash=${hash}`, "-t", tag, ctx], {
      env: dockerEnv,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
}

/**
 * The CLI from this tree's source, bundled once (as scripts/build.mjs does for dist/): a deploy
 * process starts in ~0.5 s instead of tsx's ~2 s, and a stale dist/ cannot skew the result.
 */
async function bundleCli(dir: string): Promise<string> {
  const { build } = await import("esbuild");
  await build({
    entryPoints: { cli: join(root, "src/cli/index.ts") },
    outdir: dir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["cpu-features", "*.node"],
    banner: {
      js: [
        'import { createRequire as __tfCreateRequire } from "node:module";',
        'import { fileURLToPath as __tfFileURLToPath } from "node:url";',
        'import { dirname as __tfDirname } from "node:path";',
        "const require = __tfCreateRequire(import.meta.url);",
        "const __filename = __tfFileURLToPath(import.meta.url);",
        "const __dirname = __tfDirname(__filename);",
      ].join("\n"),
    },
    logLevel: "warning",
  });
  const runner = join(dir, "tinyforge.mjs");
  writeFileSync(
    runner,
    'import { main } from "./cli.mjs";\nprocess.exitCode = await main(process.argv.slice(2));\n',
  );
  return runner;
}

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
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

function printTable(): void {
  const head = [
    "proxy",
    "scenario",
    "changes",
    "requests",
    "non-2xx",
    "wrong body",
    "socket errors",
    "p99 ms",
    "req/s",
  ];
  const cells = rows.map((r) => [
    r.proxy,
    r.scenario,
    String(r.changes),
    String(r.requests),
    `${r.non2xx}${
      Object.keys(r.non2xxByStatus).length
        ? ` (${Object.entries(r.non2xxByStatus)
            .map(([k, v]) => `${k}: ${v}`)
            .join(", ")})`
        : ""
    }`,
    String(r.wrongBody),
    `${r.socketErrors}${
      Object.keys(r.errorCodes).length
        ? ` (${Object.entries(r.errorCodes)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")})`
        : ""
    }`,
    String(r.p99Ms),
    String(r.reqPerSec),
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(width[i]!)).join(" | ")} |`;
  console.log(
    `\nswap under load: ${connections} keep-alive connections${rate ? ` paced at ${rate} req/s` : ""}, through the proxy on 127.0.0.1\n`,
  );
  console.log(line(head));
  console.log(`|${width.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const c of cells) console.log(line(c));
  console.log(
    "\nchanges: deploys (blue-green, recreate) or route reloads (reload). wrong body: a 2xx that was not v1/v2.\n",
  );
}
