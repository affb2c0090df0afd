// Which files a deploy builds, so that what is recorded is what serves: the working tree only
// when it IS the recorded commit (HEAD, nothing changed), else that commit's own files from git.
// A changed working tree is refused unless the caller allows it, and then the release says
// `dirty` so nobody mistakes it for the commit.
import type { WorkloadConfig } from "../config/schema.js";
import { TinyforgeError } from "../errors.js";
import { changedFiles, exportCommit, headCommit, resolveCommit } from "../adapters/git.js";

export interface SourceTree {
  /** The full SHA recorded for the deploy. */
  sha: string;
  /** The working tree differs from `sha` and is built as it is (`--allow-dirty`). */
  dirty: boolean;
  /** The directory that stands for the config's directory in the build. */
  dir: string;
  dispose(): Promise<void>;
}

export interface SourceRequest {
  sha?: string;
  ref?: string;
  allowDirty?: boolean;
}

const BUILT_FROM_CHECKOUT = new Set(["dockerfile", "static", "compose"]);
const LISTED = 20;

/**
 * `dir` is the config file's directory, `configFile` its name there: the config is read from the
 * working tree on every deploy by design, so a change to it alone is not a dirty build.
 */
export async function sourceTree(
  dir: string,
  configFile: string,
  workloads: WorkloadConfig[],
  req: SourceRequest,
  /** The commit `req` names, when the caller began asking git for it earlier (`resolveCommit`). */
  resolved?: Promise<string>,
): Promise<SourceTree> {
  const explicit = req.sha !== undefined || req.ref !== undefined;
  if (explicit && req.allowDirty) {
    throw new TinyforgeError(
      "usage",
      "--allow-dirty builds the working tree; it cannot go with --sha or --ref",
      {
        hint: "with --sha/--ref the commit's own files are built and the working tree is not read",
      },
    );
  }
  const sha = await (resolved ?? resolveCommit(dir, req));
  const working: SourceTree = { sha, dirty: false, dir, dispose: async () => undefined };
  const contexts = [
    ...new Set(workloads.filter((w) => BUILT_FROM_CHECKOUT.has(w.source)).map((w) => w.context)),
  ];
  // Nothing is built from the checkout (image sources): the SHA is only recorded.
  if (contexts.length === 0) return working;

  const changed = (await changedFiles(dir, contexts)).filter((f) => f !== configFile);
  if (changed.length === 0 && sha === (await headCommit(dir))) return working;
  if (explicit) {
    const tree = await exportCommit(dir, sha);
    return { sha, dirty: false, dir: tree.dir, dispose: tree.dispose };
  }
  if (req.allowDirty) return { ...working, dirty: true };
  throw new TinyforgeError(
    "usage",
    `the checkout has changes that are not in ${sha.slice(0, 12)} (HEAD): a deploy would record the commit and serve something else`,
    {
      details: [
        ...changed.slice(0, LISTED),
        ...(changed.length > LISTED ? [`… and ${changed.length - LISTED} more`] : []),
      ],
      hint: "commit them, or pass --allow-dirty to deploy the working tree marked as dirty",
    },
  );
}
