// Getting the image a release runs: pulled for `image`, built on the host for `dockerfile`
// (context uploaded through the Docker API on the deploy's connection, tagged with the SHA).
import { join } from "node:path";
import type { WorkloadConfig } from "../config/schema.js";
import { TinyforgeError } from "../errors.js";
import { labelsFor } from "../plan/labels.js";
import { expandImage } from "../plan/names.js";
import type { Host } from "../ports/host.js";
import { packContext, packStaticSite } from "./build-context.js";
import { staticDockerfile } from "../plan/static-site.js";

export interface ImageRequest {
  project: string;
  workload: string;
  stage: string;
  tag?: string;
  sha: string;
  ref?: string;
  deployId: string;
  configDir: string;
  /** The checkout the bot unpacked: nothing is packed from outside it. */
  checkoutRoot?: string;
  dirty?: boolean;
}

/**
 * The repository of the images built for a project's workload: tinyforge/shop_web. "_" is in no
 * project name, so no two projects share one ("shop" + "admin-web" is not "shop-admin" + "web"):
 * a project never runs an image another built from the same SHA with settings of its own. Images
 * built before were tinyforge/PROJECT-WORKLOAD: a release recorded with one still rolls back
 * (the state names its image); prune leaves them, since such a name may be another project's.
 */
export function builtImageRepo(project: string, workload: string): string {
  return `tinyforge/${project}_${workload}`;
}

export function builtImageTag(project: string, workload: string, sha: string): string {
  return `${builtImageRepo(project, workload)}:${sha}`;
}

/**
 * A dirty build is tagged apart from the commit (and from every other dirty build of it, since
 * its content is unknown to git): `SHA-dirty-DEPLOYID`.
 */
function buildTag(r: ImageRequest): string {
  const version = r.dirty ? `${r.sha}-dirty-${r.deployId.toLowerCase()}` : r.sha;
  return builtImageTag(r.project, r.workload, version);
}

/** Whether a copy of an `image` workload's `ref` on the host is run as it is (no pull). */
export function usesCopyOnHost(w: WorkloadConfig, ref: string): boolean {
  // An image named by its SHA or digest never changes: skip the registry when we have it.
  const immutable = w.image!.includes("{sha}") || ref.includes("@sha256:");
  return immutable || w.pull === "missing";
}

/**
 * The image whose presence on the host lets prepareImage skip the registry or the build, when
 * there is one: a deploy asks about it while it reconciles (a read; what it decides waits).
 */
export function decidingImage(w: WorkloadConfig, r: ImageRequest): string | undefined {
  switch (w.source) {
    case "image": {
      const ref = expandImage(w.image!, { sha: r.sha, ref: r.ref, tag: r.tag, stage: r.stage });
      return usesCopyOnHost(w, ref) ? ref : undefined;
    }
    case "dockerfile":
    case "static":
      return buildTag(r);
    default:
      return undefined;
  }
}

export async function prepareImage(
  host: Host,
  w: WorkloadConfig,
  r: ImageRequest,
  log: (line: string) => void,
  /** Whether an image is on the host: by default asked now (a deploy passes what it asked before). */
  present: (ref: string) => Promise<boolean> = (ref) => host.docker.imageExists(ref),
): Promise<string> {
  switch (w.source) {
    case "image": {
      const ref = expandImage(w.image!, { sha: r.sha, ref: r.ref, tag: r.tag, stage: r.stage });
      if (usesCopyOnHost(w, ref) && (await present(ref))) {
        log(`${ref} already on the host`);
        return ref;
      }
      await host.docker.pull(ref, log);
      return ref;
    }
    case "dockerfile": {
      const tag = buildTag(r);
      if (await present(tag)) {
        log(`${tag} already built for this SHA`);
        return tag;
      }
      const contextDir = join(r.configDir, w.context);
      await host.docker.build(
        await packContext(contextDir, w.dockerfile, r.checkoutRoot),
        {
          tag,
          dockerfile: w.dockerfile,
          buildArgs: w.build_args,
          labels: labelsFor({
            project: r.project,
            workload: r.workload,
            stage: r.stage,
            tag: r.tag,
            sha: r.sha,
            deployId: r.deployId,
          }),
        },
        log,
      );
      return tag;
    }
    case "static": {
      const tag = buildTag(r);
      if (await present(tag)) {
        log(`${tag} already built for this SHA`);
        return tag;
      }
      const labels = labelsFor({
        project: r.project,
        workload: r.workload,
        stage: r.stage,
        tag: r.tag,
        sha: r.sha,
        deployId: r.deployId,
      });
      const context = await packStaticSite(join(r.configDir, w.context), staticDockerfile(w), r.checkoutRoot);
      await host.docker.build(
        context,
        { tag, dockerfile: "Dockerfile", buildArgs: w.build_args, labels },
        log,
      );
      return tag;
    }
    default:
      throw new TinyforgeError(
        "usage",
        `source "${w.source}" is not supported by this version of tinyforge yet`,
        {
          hint: 'use source "image" or "dockerfile"',
        },
      );
  }
}
