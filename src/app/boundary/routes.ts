// Which hostnames a project may route: the operator lists them (`domains`: names or "*.suffix"),
// so on a shared proxy one project cannot claim another's hostname.
import type { Config } from "../../config/schema.js";
import { routeHostname } from "../../deploy/route-name.js";

/** "*.shop.example.com" matches any name below shop.example.com (not the name itself). */
export function hostnameAllowed(hostname: string, domains: readonly string[]): boolean {
  const name = hostname.toLowerCase();
  return domains.some((d) => (d.startsWith("*.") ? name.endsWith(d.slice(1)) : name === d));
}

/** A problem line when the instance's route is outside the project's domains; none without a proxy. */
export function routeProblems(
  config: Config,
  instance: { stage: string; tag?: string },
  domains: readonly string[],
  where: string,
): string[] {
  if (config.proxy.driver === "none") return [];
  let host: string;
  try {
    host = routeHostname(config, { project: config.project, stage: instance.stage, tag: instance.tag });
  } catch {
    return []; // the loader already reported the pattern
  }
  if (hostnameAllowed(host, domains)) return [];
  const allowed = domains.length > 0 ? domains.join(", ") : "none";
  return [
    `domain: ${host} is not a hostname this project may route (${where}.domains in the bot's config: ${allowed})`,
  ];
}
