// How scripts/testbed.sh starts its services. Each test runs a separate instance: its own state dir
// (TESTBED_DIR), its own free ports, no images; the running dockerd is reused and never stopped, so
// the shared testbed is not disturbed. Every process a test starts is stopped after it, also on failure.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../scripts/testbed.sh", import.meta.url));
/** An `up` that has not finished by then is killed; what it started is in its pid files for `down`. */
const RUN_LIMIT_MS = 240_000;

interface Instance {
  dir: string;
  ports: { ssh: number; registry: number; caddyAdmin: number; caddy: number; nginx: number };
  env: NodeJS.ProcessEnv;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const instances: Instance[] = [];
const children: ChildProcess[] = [];

/** Ports nobody listens on now: all held at once so they differ, then released. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = net.createServer();
      return new Promise<net.Server>((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
    }),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

async function newInstance(extraEnv: NodeJS.ProcessEnv = {}): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), "tf-testbed-start-"));
  const [ssh, registry, caddyAdmin, caddy, nginx] = (await freePorts(5)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const instance: Instance = {
    dir,
    ports: { ssh, registry, caddyAdmin, caddy, nginx },
    env: {
      ...process.env,
      TESTBED_DIR: join(dir, "state"),
      TESTBED_IMAGES: "0",
      TESTBED_SSH_PORT: String(ssh),
      TESTBED_REGISTRY_PORT: String(registry),
      TESTBED_CADDY_ADMIN_PORT: String(caddyAdmin),
      TESTBED_CADDY_PORT: String(caddy),
      TESTBED_NGINX_PORT: String(nginx),
      ...extraEnv,
    },
  };
  instances.push(instance);
  return instance;
}

function testbed(instance: Instance, command: "up" | "down"): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(
      "bash",
      [SCRIPT, command],
      { env: instance.env, timeout: RUN_LIMIT_MS },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - t0 });
      },
    );
  });
}

/** Busy loops on every core, twice over, each ending by itself after `ms` at the latest. */
function cpuLoad(ms: number): ChildProcess[] {
  const loops = Array.from({ length: 2 * availableParallelism() }, () =>
    spawn(process.execPath, ["-e", `const end = Date.now() + ${ms}; while (Date.now() < end) {}`], {
      stdio: "ignore",
    }),
  );
  children.push(...loops);
  return loops;
}

/**
 * A PATH dir where PROGRAM spends its first second the way a child between fork and exec does: alive,
 * with a command line that names none of its arguments; then it becomes the real program (same pid).
 */
function slowExecPath(dir: string, programs: string[]): string {
  const bin = join(dir, "slow-exec");
  mkdirSync(bin);
  for (const program of programs) {
    const real = execFileSync("bash", ["-c", `command -v ${program}`], { encoding: "utf8" }).trim();
    const shim = join(bin, program);
    writeFileSync(
      shim,
      `#!/bin/bash\nARGS="$(printf '%q ' "$@")" exec -a not-yet-exec bash -c 'sleep 1; eval "exec ${real} $ARGS"'\n`,
    );
    chmodSync(shim, 0o755);
  }
  return `${bin}:${process.env.PATH}`;
}

/** Binds 127.0.0.1:port without listening: a connect is refused, so only the service's own bind fails. */
async function holdPort(port: number): Promise<ChildProcess> {
  const code =
    "import socket,sys,time\ns=socket.socket()\ns.bind(('127.0.0.1',int(sys.argv[1])))\nprint('bound',flush=True)\ntime.sleep(600)";
  const holder = spawn("/usr/bin/python3", ["-c", code, String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(holder);
  await new Promise<void>((resolve, reject) => {
    holder.stdout?.once("data", () => resolve());
    holder.once("exit", (status) => reject(new Error(`port holder for ${port} exited (${status})`)));
  });
  return holder;
}

/** Kills a child this test started (by its pid) and waits until it is gone, so its port is free. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await gone;
}

async function answers(url: string): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return res.status;
}

describe("testbed.sh: starting services", () => {
  beforeEach(async () => {
    // The instance reuses the running engine (the script's fixed socket); were it to start one,
    // `down` would stop it again.
    await new Docker({ socketPath: "/var/run/docker.sock" }).ping();
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map(stop));
    for (const instance of instances.splice(0)) {
      // Only a dockerd that `up` started has a pid file here: the shared engine is never stopped.
      rmSync(join(instance.dir, "state", "dockerd.pid"), { force: true });
      const down = await testbed(instance, "down");
      rmSync(instance.dir, { recursive: true, force: true });
      expect(down.code, down.stderr).toBe(0);
    }
  });

  it("comes up under CPU load, counting a service that has not exec'd yet as starting", async () => {
    const instance = await newInstance();
    instance.env.PATH = slowExecPath(instance.dir, ["docker-registry", "caddy"]);

    const loops = cpuLoad(10_000);
    const up = await testbed(instance, "up");
    await Promise.all(loops.map(stop));

    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain("dockerd: reused (already running, not started by this script)");
    for (const name of ["sshd", "registry", "caddy", "nginx"])
      expect(up.stdout).toContain(`${name}: started`);
    const env = JSON.parse(readFileSync(join(instance.dir, "state", "env.json"), "utf8"));
    expect(env.sshPort).toBe(instance.ports.ssh);
    expect(await answers(`http://${env.registry}/v2/`)).toBe(200);
    expect(await answers(`${env.caddy.admin}/config/`)).toBe(200);
    expect(await answers(`http://${env.nginx.listen}/`)).toBe(404);
  }, 300_000);

  it("reports a service whose port is taken at once, with the service's own log", async () => {
    // A start that waited for its bound instead of the exit would take ten minutes.
    const instance = await newInstance({ TESTBED_START_TIMEOUT: "600" });
    const services = [
      { name: "sshd", port: instance.ports.ssh },
      { name: "registry", port: instance.ports.registry },
      { name: "caddy", port: instance.ports.caddy },
      { name: "nginx", port: instance.ports.nginx },
    ];
    // In start order: the services before the blocked one come up (or are reused) each time.
    for (const { name, port } of services) {
      const holder = await holdPort(port);
      const up = await testbed(instance, "up");
      await stop(holder);

      expect(up.code, `${name}: ${up.stdout}\n${up.stderr}`).toBe(1);
      expect(up.stderr).toContain(`[testbed] ERROR: ${name} exited during start`);
      expect(up.stderr).toMatch(/address already in use/i);
      expect(up.ms).toBeLessThan(60_000);
    }
  }, 300_000);
});
