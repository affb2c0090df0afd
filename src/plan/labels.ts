// Docker labels are how tinyforge recognises its own containers on a host: status, teardown and
// reconcile find instances by label, never by parsing container names.
import { instanceKey } from "./names.js";

const PREFIX = "dev.tinyforge.";

export const LABEL = {
  project: `${PREFIX}project`,
  workload: `${PREFIX}workload`,
  stage: `${PREFIX}stage`,
  tag: `${PREFIX}tag`,
  sha: `${PREFIX}sha`,
  deployId: `${PREFIX}deploy-id`,
  instance: `${PREFIX}instance`,
  /** "release": a release step's one-off container, never one that serves. */
  role: `${PREFIX}role`,
  port: `${PREFIX}port`,
} as const;

/** The role of a release step's one-off container. */
export const RELEASE_ROLE = "release";

export interface LabelIdentity {
  project: string;
  workload: string;
  stage: string;
  tag?: string;
  sha: string;
  deployId: string;
}

export function labelsFor(v: LabelIdentity & { port?: number }): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL.project]: v.project,
    [LABEL.workload]: v.workload,
    [LABEL.stage]: v.stage,
    [LABEL.sha]: v.sha,
    [LABEL.deployId]: v.deployId,
    [LABEL.instance]: instanceKey(v),
  };
  if (v.tag !== undefined) labels[LABEL.tag] = v.tag;
  if (v.port !== undefined) labels[LABEL.port] = String(v.port);
  return labels;
}

/**
 * `key=value` filters for `docker ps --filter label=...` (dockerode: `filters: { label: [...] }`).
 * Fields left out are not filtered on: no tag means every tag, not only the untagged instance.
 */
export function labelFilter(v: {
  project: string;
  workload?: string;
  stage?: string;
  tag?: string;
}): string[] {
  const filters = [`${LABEL.project}=${v.project}`];
  if (v.workload !== undefined) filters.push(`${LABEL.workload}=${v.workload}`);
  if (v.stage !== undefined) filters.push(`${LABEL.stage}=${v.stage}`);
  if (v.tag !== undefined) filters.push(`${LABEL.tag}=${v.tag}`);
  return filters;
}

/** The identity written by labelsFor, or undefined for a container tinyforge did not create. */
export function fromLabels(labels: Record<string, string> | null | undefined): LabelIdentity | undefined {
  if (!labels) return undefined;
  const project = labels[LABEL.project];
  const workload = labels[LABEL.workload];
  const stage = labels[LABEL.stage];
  const sha = labels[LABEL.sha];
  const deployId = labels[LABEL.deployId];
  if (!project || !workload || !stage || !sha || !deployId) return undefined;
  const tag = labels[LABEL.tag];
  return tag === undefined
    ? { project, workload, stage, sha, deployId }
    : { project, workload, stage, tag, sha, deployId };
}
