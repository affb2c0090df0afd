// The parts of the config's contract that the engine uses too, apart from the validator
// (schema.ts): the engine's modules load without zod, which loads on its own when the config is
// validated (session.ts).

export const STRATEGIES = ["", "recreate", "blue-green"] as const;
export const SOURCES = ["image", "dockerfile", "static", "compose"] as const;
export const PROXY_DRIVERS = ["caddy", "npm", "nginx", "none"] as const;

/** Instance values an env value may use; anything else in braces is left as written. */
export const ENV_PLACEHOLDERS = ["project", "workload", "stage", "tag", "sha", "url"] as const;

const MEMORY = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i;
const UNIT: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "512m" → bytes; undefined when it is not a size. */
export function parseMemory(text: string): number | undefined {
  const m = MEMORY.exec(text.trim());
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * UNIT[m[2]!.toLowerCase()]!);
}

/** Why a bake cannot run on these hosts (several hosts, or a Swarm manager), or undefined. */
export function bakeHostsProblem(
  hosts: readonly string[],
  stages: ReadonlyArray<{ hosts?: readonly string[] | undefined }>,
): string | undefined {
  const sets = stages.map((st) => st.hosts ?? hosts);
  if (sets.some((hs) => hs.some((h) => h.startsWith("swarm+"))))
    return "is not supported on a swarm+ssh:// host (Swarm replaces tasks itself; use healthcheck)";
  if (sets.some((hs) => hs.length > 1))
    return "is supported on a stage with one host only (this config deploys a stage to several hosts)";
  return undefined;
}
