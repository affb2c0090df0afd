// Which hostnames a project may route: the operator lists them (`domains`: names or "*.suffix"),
// so on a shared proxy one project cannot claim another's hostname. Every name an instance is
// routed on counts: a workload's own `domains` as much as the hostname patterns.
import { own } from "../../config/lookup.js";
import type { Config } from "../../config/schema.js";
import { errorMessage } from "../../errors.js";
import { isRouted, routeHostnames } from "../../plan/hostnames.js";

/** "*.shop.example.com" matches any name below shop.example.com (not the name itself). */
export function hostnameAllowed(hostname: string, domains: readonly string[]): boolean {
  const name = hostname.toLowerCase();
  return domains.some((d) => (d.startsWith("*.") ? name.endsWith(d.slice(1)) : name === d));
}

/** One problem line per routed name outside the project's domains; none without a proxy. */
export function routeProblems(
  config: Config,
  instance: { stage: string; tag?: string; workloads: string[] },
  domains: readonly string[],
  where: string,
): string[] {
  if (config.proxy.driver === "none") return [];
  const allowed = domains.length > 0 ? domains.join(", ") : "none";
  const problems: string[] = [];
  for (const workload of instance.workloads) {
    const w = own(config.workloads, workload);
    if (!w || !isRouted(w)) continue;
    let hosts: string[];
    try {
      hosts = routeHostnames(config, {
        project: config.project,
        workload,
        stage: instance.stage,
        ...(instance.tag !== undefined ? { tag: instance.tag } : {}),
      });
    } catch (e) {
      // A route that cannot be named cannot be checked: refused, never skipped.
      problems.push(`workloads.${workload}: its route's hostname cannot be checked (${errorMessage(e)})`);
      continue;
    }
    const named = instance.tag === undefined && own(w.domains ?? {}, instance.stage) !== undefined;
    for (const host of hosts) {
      if (hostnameAllowed(host, domains)) continue;
      const key = named ? `workloads.${workload}.domains.${instance.stage}` : "domain";
      const line = `${key}: ${host} is not a hostname this project may route (${where}.domains in the bot's config: ${allowed})`;
      if (!problems.includes(line)) problems.push(line);
    }
  }
  return problems;
}
