// Two instances routed on one hostname would take each other's route on every deploy, and both
// would "succeed". Every instance a config can make (workloads × stages, untagged and tagged) is
// named here, and any hostname two of them share is a config error naming both.
import type { Config } from "../config/schema.js";
import { hostnamePatterns, isRouted, routeHostnames } from "./hostnames.js";

// Tags are unbounded: one sample tag stands for all of them (patterns must hold {tag}, so two
// tagged instances clash for one tag exactly when they clash for every tag).
const SAMPLE_TAG = "pr-1";

function describe(i: { workload: string; stage: string; tag?: string }): string {
  return `workloads.${i.workload} in stage ${i.stage}${i.tag ? ` (tag ${i.tag})` : ""}`;
}

/**
 * One line per pair of workloads that would share a hostname (their first clash: one fix usually
 * ends them all); patterns that do not expand are skipped.
 */
export function routeCollisions(config: Config): string[] {
  const owners = new Map<string, { who: string; workload: string }>();
  const pairs = new Set<string>();
  const problems: string[] = [];
  // Once per config, not per instance: the config decides it, and it walks every workload.
  const patterns = hostnamePatterns(config);
  for (const [workload, w] of Object.entries(config.workloads)) {
    if (!isRouted(w)) continue;
    for (const stage of Object.keys(config.stages)) {
      for (const tag of [undefined, SAMPLE_TAG]) {
        const names = { project: config.project, workload, stage, tag };
        let hostnames: string[];
        try {
          hostnames = routeHostnames(config, names, patterns);
        } catch {
          continue; // the pattern's own problem is reported on its own line
        }
        const who = describe(names);
        for (const host of new Set(hostnames)) {
          const first = owners.get(host);
          if (first === undefined) owners.set(host, { who, workload });
          else if (first.who !== who && !pairs.has(`${first.workload} ${workload}`)) {
            pairs.add(`${first.workload} ${workload}`);
            problems.push(
              `workloads.${workload}: ${who} and ${first.who} would both be routed on ${host}; give one its own domains or put {workload} in the hostname patterns`,
            );
          }
        }
      }
    }
  }
  return problems;
}
