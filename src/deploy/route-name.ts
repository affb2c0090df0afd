// The route's full name for an instance, from the config's hostname patterns and domain.
import type { Config } from "../config/schema.js";
import { hostname } from "../plan/names.js";

/** The route's full name: `stage-production-shop.example.com` (the label alone without a domain). */
export function routeHostname(
  config: Config,
  names: { project: string; stage: string; tag?: string },
): string {
  const label = hostname({ untagged: config.hostname_pattern, tagged: config.tag_hostname_pattern }, names);
  return config.domain ? `${label}.${config.domain}` : label;
}
