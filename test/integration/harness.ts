// Shared by the engine's integration tests: an app directory with a tinyforge.yml aimed at the
// testbed's sshd, the CLI run in-process with its own env, and the real engine to check against.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Dockerode from "dockerode";
import { stringify } from "yaml";
import { main } from "../../src/cli/main.js";
import { loadTestbed, uniqueName } from "./testbed.js";

export const tb = loadTestbed();
export const docker = new Dockerode({ socketPath: tb.dockerSocket });

export const sshEnv = {
  TINYFORGE_SSH_KEY_FILE: tb.sshKeyFile,
  TINYFORGE_KNOWN_HOSTS_FILE: tb.knownHostsFile,
};

export const sshHost = `ssh://${tb.sshUser}@${tb.sshHost}:${tb.sshPort}`;

/** Fast gate settings: the defaults (3 × 5 s) are right for production, slow for a test. */
export const fastHealth = { path: "/healthz", retries: 3, interval: "300ms", timeout: "2s" };

export interface App {
  dir: string;
  project: string;
  stateDir: string;
  config: Record<string, unknown>;
  write(config?: Record<string, unknown>): void;
  cli(
    args: string[],
    env?: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
}

export function makeApp(workloads: Record<string, unknown>, extra: Record<string, unknown> = {}): App {
  const dir = mkdtempSync(join(tmpdir(), "tf-app-"));
  const project = uniqueName("it");
  const stateDir = mkdtempSync(join(tmpdir(), "tf-state-"));
  const app: App = {
    dir,
    project,
    stateDir,
    config: {
      project,
      hosts: [sshHost],
      state_dir: stateDir,
      stages: { production: { branch: "main" }, preview: { pull_requests: true } },
      workloads,
      ...extra,
    },
    write(config = app.config) {
      app.config = config;
      writeFileSync(join(dir, "tinyforge.yml"), stringify(config));
    },
    async cli(args, env = {}) {
      let stdout = "";
      let stderr = "";
      const code = await main(["-c", join(dir, "tinyforge.yml"), ...args], {
        io: {
          out: (t) => {
            stdout += t;
          },
          err: (t) => {
            stderr += t;
          },
        },
        env: { ...process.env, ...sshEnv, ...env },
        isTTY: false,
      });
      return { code, stdout, stderr };
    },
  };
  app.write();
  return app;
}

/** Commits the app directory's content; returns the SHA (dockerfile sources build from it). */
export function commitAll(dir: string, message: string): string {
  const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" }).trim();
  if (!existsSync(join(dir, ".git"))) git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", message);
  return git("rev-parse", "HEAD");
}

export async function projectContainers(project: string): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`dev.tinyforge.project=${project}`] } });
}

export async function removeProject(project: string): Promise<void> {
  for (const c of await projectContainers(project)) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
  // Compose stacks of the project (PROJECT-WORKLOAD-STAGE) leave their default network behind.
  for (const n of await projectNetworks(project)) {
    await docker
      .getNetwork(n)
      .remove()
      .catch(() => undefined);
  }
}

/**
 * Networks left behind for this project, by name: its compose stacks' defaults, and the tf_P_S
 * ones tinyforge made with its labels (accessories', and every bot deploy's own): a host has
 * address pools for about 30 bridge networks, so tests must not leave them behind.
 */
export async function projectNetworks(project: string): Promise<string[]> {
  const compose = (await docker.listNetworks({ filters: { name: [`${project}-`] } })).filter(
    (n) => n.Name.startsWith(`${project}-`) && n.Labels?.["com.docker.compose.project"],
  );
  const own = await docker.listNetworks({ filters: { label: [`dev.tinyforge.project=${project}`] } });
  return [...new Set([...compose, ...own].map((n) => n.Name))];
}

export async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.text()).trim() };
}

export function parseJsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function readState(
  app: App,
  key: string,
):
  | {
      active?: { sha: string; container: string; url: string; image: string };
      previous: Array<{ sha: string; container: string; image: string }>;
    }
  | undefined {
  try {
    return JSON.parse(readFileSync(join(app.stateDir, app.project, "instances", `${key}.json`), "utf8"));
  } catch {
    return undefined;
  }
}

const root = join(import.meta.dirname, "..", "..");

/**
 * The CLI as its own process, as two CI jobs, a bot and a person would run it (lock contention,
 * SIGKILL mid-deploy, logs --follow of another process's deploy).
 */
export function spawnCli(
  app: App,
  args: string[],
  env: Record<string, string> = {},
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
} {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "src/cli/index.ts"), "-c", join(app.dir, "tinyforge.yml"), ...args],
    {
      cwd: root,
      env: { ...process.env, ...sshEnv, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Removes a project's containers and the images tinyforge built for it (afterAll). */
export async function removeProjectAndImages(project: string): Promise<void> {
  await removeProject(project);
  for (const img of await docker.listImages({ filters: { reference: [`tinyforge/${project}_*`] } })) {
    await docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
}
