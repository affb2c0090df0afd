// The operator/repository boundary of the bot, in one place: every bot path (webhook deploys, PR
// previews, PR /deploy, Slack, rollback buttons, teardown, the events API) loads a repo's config
// through configText() and checks a deploy through admit(). The operator grants (the bot config);
// a repository asks (its tinyforge.yml); what was not granted is an invalid config for that deploy.
import YAML from "yaml";
import type { Config } from "../../config/schema.js";
import { TinyforgeError } from "../../errors.js";
import { contextProblems } from "./contexts.js";
import { hostVolumeProblems, networkProblems, pathsOutside, scopeVolumes } from "./files.js";
import { type OperatorSettings, withOperatorSettings } from "./operator.js";
import { limitProblems, type ResourceLimits, withLimits } from "./limits.js";
import { type NotifyGrants, notifyProblems } from "./notify.js";
import { projectProblem } from "./project.js";
import { routeProblems } from "./routes.js";
import { grantedSecrets, type SecretGrants } from "./secrets.js";

export { ignoredNote, OPERATOR_KEYS, type OperatorSettings } from "./operator.js";
export { hostnameAllowed } from "./routes.js";
export { missingGrantedVars, type SecretGrants } from "./secrets.js";
export { pathsOutside } from "./files.js";
export { DEFAULT_CAPS, type ResourceLimits } from "./limits.js";

export interface Grants extends OperatorSettings, NotifyGrants {
  domains: string[];
  secrets: SecretGrants;
  allow_host_volumes: boolean;
  /** User-defined networks beyond the project's own the repo may join (the proxy's). */
  networks?: string[];
  /** Caps on what the repo's containers take (memory, cpus, replicas) and hold (durations). */
  limits?: ResourceLimits;
}

/**
 * The repo's config text as the bot validates it: the operator's settings in place of the repo's,
 * and the keys that were ignored; with `data`, that text already parsed (validateConfig takes it,
 * so the text is not parsed twice). Text that does not parse is returned as is, without data, for
 * the loader to report with its line and column. A repo naming another project than `project` (the bot
 * config's name for it), or a status context not the bot's own, is refused with config_invalid
 * before anything reads state, touches a host or posts a status.
 */
/**
 * The largest tinyforge.yml the bot parses. YAML takes about a second a megabyte on the bot's one
 * thread, where every project's webhooks wait; a real config is a few KiB, so 256 KiB holds far
 * more than any project declares, and a pushed file cannot stall the bot for long.
 */
export const MAX_CONFIG_BYTES = 256 * 1024;

export function configText(
  text: string,
  g: OperatorSettings,
  project: string,
): { text: string; ignored: string[]; data?: unknown } {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_CONFIG_BYTES)
    throw new TinyforgeError("config_invalid", "the repo's config is too large", {
      details: [
        `(the file): ${bytes} bytes is more than the ${MAX_CONFIG_BYTES} (${MAX_CONFIG_BYTES / 1024} KiB) the bot parses`,
      ],
    });
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) return { text, ignored: [] };
  let data: unknown;
  try {
    data = doc.toJS();
  } catch {
    return { text, ignored: [] };
  }
  const other = projectProblem(data, project);
  const problems = [...(other ? [other] : []), ...contextProblems(data)];
  if (problems.length > 0)
    throw new TinyforgeError(
      "config_invalid",
      other
        ? "the repo's config names another project"
        : "the repo's config names a status context not the bot's",
      { details: problems },
    );
  const r = withOperatorSettings(data, g);
  if (r.data === data) return { text, ignored: [], data };
  // Written out only when asked for (a checkout's file): a deploy validated from `data` does not
  // pay for the YAML on its way to the pending status.
  let written: string | undefined;
  return {
    get text() {
      written ??= YAML.stringify(r.data);
      return written;
    },
    ignored: r.ignored,
    data: r.data,
  };
}

export interface DeployAsk {
  stage: string;
  tag?: string;
  workloads: string[];
  /** Where the config sits, and the checkout's root (undefined: no tree, image workloads only). */
  configDir: string;
  checkoutRoot?: string;
}

/**
 * Decides whether the repo may ask for this deploy: secrets granted for the stage, routes inside
 * the project's domains, paths inside the checkout, no host bind mounts unless allowed, resources
 * and durations within the project's limits, Slack channels and webhooks the operator grants.
 * Returns the config as it is deployed (named volumes scoped to the project, the operator's memory
 * and CPU limits where the repo sets none), the granted secret values, and whether its webhook may
 * reach public addresses only; throws config_invalid with one line per problem.
 */
export function admit(
  config: Config,
  ask: DeployAsk,
  g: Grants,
  botEnv: Record<string, string | undefined>,
  where: { project: string; file: string },
): { config: Config; secrets: Record<string, string>; publicWebhook: boolean } {
  const key = `projects.${where.project}`;
  const secrets = grantedSecrets(config, ask.workloads, ask.stage, g.secrets, botEnv, key);
  const notify = notifyProblems(config, g, key);
  const problems = [
    ...secrets.problems,
    ...routeProblems(config, ask, g.domains, key),
    ...(g.allow_host_volumes ? [] : hostVolumeProblems(config, key, ask.workloads)),
    ...networkProblems(config, where.project, g.networks ?? [], key, ask.workloads),
    ...limitProblems(config, g.limits, key, ask.workloads),
    ...notify.problems,
    ...(ask.checkoutRoot ? pathsOutside(config, ask.configDir, ask.checkoutRoot, ask.workloads) : []),
  ];
  if (problems.length > 0)
    throw new TinyforgeError(
      "config_invalid",
      `${where.file}: ${problems.length} error${problems.length === 1 ? "" : "s"} in config`,
      { details: problems },
    );
  return {
    config: withLimits(scopeVolumes(config, where.project), g.limits),
    secrets: secrets.values,
    publicWebhook: notify.publicWebhook,
  };
}
