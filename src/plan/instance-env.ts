// The environment one instance's containers get: the workload's env, then the stage's (which
// wins), placeholders expanded, and TINYFORGE_URL. Pure, so `tinyforge config` shows exactly
// what a deploy would set.
import { ENV_PLACEHOLDERS } from "../config/values.js";

export type EnvValues = Partial<Record<(typeof ENV_PLACEHOLDERS)[number], string>>;

// Only the known names are placeholders: a JSON value like {"a":1} stays as written.
const PLACEHOLDER = new RegExp(`\\{(${ENV_PLACEHOLDERS.join("|")})\\}`, "g");

/** Expands {project} {workload} {stage} {tag} {sha} {url}; one this instance lacks (a tag) is "". */
export function expandEnvValue(value: string, values: EnvValues): string {
  return value.replace(PLACEHOLDER, (whole, key: keyof EnvValues) => {
    if (!Object.hasOwn(values, key)) return whole;
    return values[key] ?? "";
  });
}

/**
 * Workload env, then stage env over it, expanded; TINYFORGE_URL last so the app can always
 * trust it. `values` without a key leaves that placeholder as written (`config` without --sha).
 */
export function instanceEnv(
  workloadEnv: Record<string, string>,
  stageEnv: Record<string, string>,
  values: EnvValues,
): Record<string, string> {
  const merged = { ...workloadEnv, ...stageEnv };
  const env = Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, expandEnvValue(v, values)]));
  return { ...env, TINYFORGE_URL: values.url ?? "" };
}
