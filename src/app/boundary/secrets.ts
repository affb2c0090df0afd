// Secrets are granted, not taken: the operator maps, per project and stage, the names a container
// sees to variables of the bot's own environment. A workload's `secrets: [NAME]` resolves only
// through the grant of the stage being deployed; nothing else of the bot's environment is reachable.
import type { Config } from "../../config/schema.js";

/** Per stage ("*" = every stage): CONTAINER_VAR → BOT_ENV_VAR. */
export type SecretGrants = Record<string, Record<string, string>>;

const own = <T>(r: Record<string, T>, k: string): T | undefined => (Object.hasOwn(r, k) ? r[k] : undefined);

/** The bot variable granted as `name` for `stage`: the stage's own grant first, then "*". */
export function grantFor(grants: SecretGrants, stage: string, name: string): string | undefined {
  const forStage = own(grants, stage);
  const forAll = own(grants, "*");
  return (forStage && own(forStage, name)) ?? (forAll && own(forAll, name));
}

/**
 * The values of the workloads' secrets for this stage, by the name the container sees, and one
 * problem line per name that was not granted (an invalid config for this deploy).
 */
export function grantedSecrets(
  config: Config,
  workloads: string[],
  stage: string,
  grants: SecretGrants,
  botEnv: Record<string, string | undefined>,
  where: string,
): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const w of workloads) {
    const names = own(config.workloads, w)?.secrets ?? [];
    const refused = names.filter((n) => grantFor(grants, stage, n) === undefined);
    if (refused.length > 0)
      problems.push(
        `workloads.${w}.secrets: ${refused.join(", ")} ${refused.length === 1 ? "is" : "are"} not granted to stage ${stage} (${where}.secrets in the bot's config)`,
      );
    for (const n of names) {
      const from = grantFor(grants, stage, n);
      if (from === undefined) continue;
      const value = own(botEnv, from);
      if (value === undefined)
        problems.push(
          `workloads.${w}.secrets: ${n} is granted from ${from}, which is not set in the bot's environment`,
        );
      else values[n] = value;
    }
  }
  return { values, problems };
}

/** Bot variables the grants name that the bot's environment lacks (checked at start). */
export function missingGrantedVars(
  grants: SecretGrants,
  botEnv: Record<string, string | undefined>,
  where: string,
): string[] {
  return Object.entries(grants).flatMap(([stage, map]) =>
    Object.entries(map)
      .filter(([, from]) => own(botEnv, from) === undefined)
      .map(
        ([name, from]) => `${where}.secrets.${stage}.${name}: ${from} is not set in the bot's environment`,
      ),
  );
}
