// Whether a project may join a Docker network that already exists. The networks tinyforge makes
// (an accessory's tf_P_S, a Swarm overlay) carry the project's labels (and the stage's): one made
// for another project or stage is never joined, whatever its name says, since its containers (a
// database) would answer there. A network without labels was made by someone else: the
// operator's own run joins it; the bot only when the operator lists it (projects.P.networks).
import { LABEL } from "./labels.js";

export interface NetworkTrust {
  /** Networks the project may join whatever their labels (the bot: projects.P.networks). */
  allowed: readonly string[];
  /** Whether a network without tinyforge's labels may be joined (the CLI, the action: yes). */
  unlabelled: boolean;
  /**
   * A workload that names no network runs on its stage's own (tf_P_S), not on Docker's default
   * bridge, where every container on the host reaches every other by IP (the bot: many projects
   * share a host). The CLI and the action leave it where Docker puts it.
   */
  isolate?: boolean;
}

/** The operator's own run (CLI, action): what the config names is theirs. */
export const OPERATOR_TRUST: NetworkTrust = { allowed: [], unlabelled: true };

const whose = (labels: Record<string, string>) =>
  [labels[LABEL.project] ?? "?", labels[LABEL.stage]].filter(Boolean).join("/");

/** Why the network as found (its labels) may not be joined for `want`; undefined when it may. */
export function networkProblem(
  name: string,
  found: Record<string, string>,
  want: Record<string, string>,
  trust: NetworkTrust,
): string | undefined {
  if (trust.allowed.includes(name)) return undefined;
  const allow = `projects.${want[LABEL.project]}.networks in the bot's config allows it`;
  if (!Object.hasOwn(found, LABEL.project))
    return trust.unlabelled
      ? undefined
      : `network ${name} exists and was not made by tinyforge for ${whose(want)}; ${allow}`;
  const same = Object.entries(want).every(([k, v]) => Object.hasOwn(found, k) && found[k] === v);
  return same ? undefined : `network ${name} belongs to ${whose(found)}, not ${whose(want)}; ${allow}`;
}
