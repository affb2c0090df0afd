// The release step (workloads.X.release): the new image's own command — migrations, typically —
// run once in a one-off container with the instance's env, secrets, networks (its accessories'
// too) and volumes, after the image is ready and before the new container starts. A non-zero exit
// or the timeout fails the deploy while the old version still serves; its last output lines go to
// the events.
import { TinyforgeError } from "../errors.js";
import { containerSpec } from "../plan/container.js";
import { LABEL, RELEASE_ROLE } from "../plan/labels.js";
import { instanceKey, newSuffix } from "../plan/names.js";
import { instanceNetworksOf, type Run } from "./run.js";

/** Lines of the release's output kept in the events and the failure reply. */
export const RELEASE_OUTPUT_LINES = 20;

export async function runRelease(run: Run, base: string): Promise<void> {
  const release = run.w.release;
  if (!release) return;
  await run.steps.run("release", () => releaseContainer(run, base, release));
}

async function releaseContainer(
  run: Run,
  base: string,
  release: NonNullable<Run["w"]["release"]>,
): Promise<void> {
  const { ctx, req, w, journal } = run;
  const { docker } = ctx.host;
  const { network, networks } = await instanceNetworksOf(run);
  const spec = containerSpec({
    name: `${base}-release-${newSuffix()}`,
    image: run.image,
    // The instance label lets reconcile (under the next deploy's lock) remove one a dead bot left
    // running; the role keeps it from ever being taken for a container that serves.
    labels: {
      [LABEL.project]: ctx.config.project,
      [LABEL.workload]: req.workload,
      [LABEL.stage]: req.stage,
      [LABEL.deployId]: req.deployId,
      [LABEL.instance]: instanceKey(req),
      [LABEL.role]: RELEASE_ROLE,
    },
    workload: { ...w, port: undefined, command: release.command },
    secretValues: ctx.secrets,
    meta: { sha: req.sha, stage: req.stage, deployId: req.deployId, tag: req.tag },
    publishIp: ctx.config.publish_ip,
    network,
  });
  const id = await docker.create({ ...spec, restart: "no", networks });
  // The program alone: a long `sh -c` script belongs in the events, not in a commit status.
  const argv = release.command[0]!;
  try {
    await docker.start(id);
    const exit = await waitBounded(docker.wait(id), release.timeout);
    const lines = (await docker.logs(id, RELEASE_OUTPUT_LINES).catch(() => ""))
      .split("\n")
      .filter((l) => l.trim())
      .slice(-RELEASE_OUTPUT_LINES);
    // The journal redacts each line: a migration that prints a secret leaks nothing.
    for (const line of lines) journal.info("release", line);
    if (exit === "timeout") {
      throw new TinyforgeError(
        "release_failed",
        `release ${argv} did not finish within ${release.timeout / 1000}s`,
        {
          details: lines.map(ctx.redact),
          hint: "raise release.timeout, or make the command finish sooner",
        },
      );
    }
    if (exit !== 0) {
      throw new TinyforgeError("release_failed", `release ${argv} exited with code ${exit}`, {
        details: lines.map(ctx.redact),
        hint: "the release's output is in `tinyforge logs DEPLOY_ID`; the previous version still serves",
      });
    }
    journal.info("release", `${argv} exited with code 0`);
  } finally {
    // Force removal also kills a release that ran out of time.
    await docker.remove(id).catch(() => undefined);
  }
}

/** The exit code, or "timeout" when the container is still running after `ms`. */
async function waitBounded(wait: Promise<number>, ms: number): Promise<number | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([wait, timeout]);
  } finally {
    clearTimeout(timer);
    wait.catch(() => undefined); // settles when the container is removed; nobody waits any more
  }
}
