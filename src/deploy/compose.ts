// compose: the stack manages its own containers, so this is recreate by `docker compose up -d`
// (or v1's `docker-compose`) over SSH. Each release's files are uploaded to their own directory
// on the host, so a failure can bring the previous release's stack back by running `up` on it.
// Compose output can echo the app's environment: a failure publishes a generic reason only.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import { errorMessage, TinyforgeError } from "../errors.js";
import type { Host } from "../ports/host.js";
import type { Release } from "../state/model.js";
import type { Swap } from "./blue-green.js";
import { composeDirOf } from "./compose-dir.js";
import { ignoreFilter } from "./build-context.js";
import { gate, persistActive, pointRoute, type Run } from "./run.js";

const ENV_FILE = ".tinyforge.env";

/** `docker compose` when the v2 plugin is there, else v1's `docker-compose`. */
export async function composeCommand(host: Host): Promise<string[]> {
  if ((await host.exec(["docker", "compose", "version"])).code === 0) return ["docker", "compose"];
  if ((await host.exec(["docker-compose", "version"])).code === 0) return ["docker-compose"];
  throw new TinyforgeError(
    "deploy_failed",
    `${host.name} has neither "docker compose" nor "docker-compose"`,
    {
      hint: "install the compose plugin (docker-compose-plugin) on the host",
    },
  );
}

export function composeArgv(
  cmd: string[],
  project: string,
  dir: string,
  file: string,
  args: string[],
): string[] {
  return [
    ...cmd,
    "-p",
    project,
    "--project-directory",
    dir,
    "-f",
    posix.join(dir, file),
    "--env-file",
    posix.join(dir, ENV_FILE),
    ...args,
  ];
}

function localFiles(root: string, checkoutRoot?: string): string[] {
  const ignored = ignoreFilter(root, "", checkoutRoot);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      if (ignored(abs)) continue;
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs);
      // A FIFO or a device would block the upload's read (or never end): only files are sent.
      else if (!st.isFile())
        throw new TinyforgeError(
          "deploy_failed",
          `${relative(root, abs)} is not a regular file (a FIFO or a device)`,
        );
      else out.push(relative(root, abs).split(sep).join("/"));
    }
  };
  walk(root);
  return out.sort();
}

async function homeOf(host: Host): Promise<string> {
  const r = await host.exec(["printenv", "HOME"]);
  return r.stdout.trim() || "/root";
}

export async function composeUp(run: Run, project: string, reuseDir?: string): Promise<Swap> {
  const { ctx, w, req } = run;
  const host = ctx.host;
  const file = w.compose_file ?? "docker-compose.yml";
  const cmd = await composeCommand(host);
  const home = await homeOf(host);
  const abs = (p: string) => (p.startsWith("/") ? p : `${home}/${p}`);
  const previous = run.state.active;

  const dir = reuseDir ?? abs(`${run.store.root}/compose/${run.state.key}/${req.deployId}`);
  if (!reuseDir) {
    await run.steps.run("upload", async () => {
      const src = join(ctx.configDir, w.context);
      const files = localFiles(src, ctx.checkoutRoot);
      for (const f of files) await host.files.writeAtomic(`${dir}/${f}`, readFileSync(join(src, f), "utf8"));
      // Secrets reach compose through a 0600 env file written from stdin: never argv, never a log.
      const env = [
        ...Object.entries(w.env).map(([k, v]) => `${k}=${v}`),
        ...w.secrets.map((n) => `${n}=${ctx.secrets[n] ?? ""}`),
        `TINYFORGE_SHA=${req.sha}`,
        `TINYFORGE_STAGE=${req.stage}`,
      ].join("\n");
      const wrote = await host.exec(
        ["sh", "-c", 'umask 077 && cat > "$1"', "sh", posix.join(dir, ENV_FILE)],
        { stdin: `${env}\n` },
      );
      if (wrote.code !== 0)
        throw new TinyforgeError(
          "deploy_failed",
          `could not write the compose env file (exit ${wrote.code})`,
        );
      run.journal.info("upload", `${files.length} files to ${dir}`);
    });
  }

  const up = async (releaseDir: string) => {
    const r = await host.exec(composeArgv(cmd, project, releaseDir, file, ["up", "-d", "--remove-orphans"]));
    if (r.code !== 0) {
      throw new TinyforgeError(
        "deploy_failed",
        `docker compose up failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`,
        {
          publicMessage: `docker compose up failed (exit ${r.code}); its output may contain secrets, so it is shown only to the deploying user`,
        },
      );
    }
  };

  let container: { id: string; name: string; hostPort?: number } | undefined;
  let url: string | undefined;
  try {
    await run.steps.run("up", () => up(dir));
    container = await run.steps.run("start", () => serviceContainer(run, project));
    await gate(run, container);
    url = await run.steps.run("route", () => pointRoute(run, container!));
  } catch (e) {
    await restore(run, project, dir, previous, up).catch((re) =>
      run.journal.error("restore", errorMessage(re)),
    );
    throw e;
  }
  const active: Release = {
    deployId: req.deployId,
    sha: req.sha,
    image: "",
    composeDir: dir,
    container: container.name,
    containerId: container.id,
    ...(container.hostPort !== undefined ? { hostPort: container.hostPort } : {}),
    ...(url ? { url } : {}),
    strategy: "recreate",
    deployedAt: new Date(ctx.clock.now()).toISOString(),
  };
  await run.steps.run("persist", () => persistActive(run, active, previous));
  return { active, previous };
}

/** The container that serves HTTP: the configured service's, or the stack's only one. */
async function serviceContainer(
  run: Run,
  project: string,
): Promise<{ id: string; name: string; hostPort?: number }> {
  const labels = [`com.docker.compose.project=${project}`];
  if (run.w.service) labels.push(`com.docker.compose.service=${run.w.service}`);
  const found = (await run.ctx.host.docker.list(labels)).filter((c) => c.running);
  const c = found[0];
  if (!c || (!run.w.service && found.length > 1)) {
    throw new TinyforgeError(
      "deploy_failed",
      c
        ? `the stack runs ${found.length} containers: set service: to the one that serves HTTP`
        : `no running container of ${run.w.service ?? "the stack"} after compose up`,
    );
  }
  const info = await run.ctx.host.docker.inspect(c.id);
  return { id: c.id, name: c.name, hostPort: info?.hostPort };
}

async function restore(
  run: Run,
  project: string,
  failedDir: string,
  previous: Release | undefined,
  up: (dir: string) => Promise<void>,
): Promise<void> {
  const prevDir = previous ? composeDirOf(previous) : undefined;
  await run.steps.run("restore", async () => {
    if (!previous || !prevDir) {
      // Nothing served before: take the failed stack down rather than leave it half up.
      const cmd = await composeCommand(run.ctx.host);
      await run.ctx.host.exec(
        composeArgv(cmd, project, failedDir, run.w.compose_file ?? "docker-compose.yml", ["down"]),
      );
      return;
    }
    await up(prevDir);
    // `up` may have recreated the service's container: the route and the state follow it.
    const c = await serviceContainer(run, project);
    const url = await pointRoute(run, c);
    run.state = {
      ...run.state,
      active: {
        ...previous,
        containerId: c.id,
        container: c.name,
        ...(c.hostPort !== undefined ? { hostPort: c.hostPort } : {}),
        ...(url ? { url } : {}),
      },
    };
    await run.store.writeInstance(run.state);
    run.journal.warn("restore", `previous release ${previous.sha.slice(0, 12)} is up again`);
  });
}
