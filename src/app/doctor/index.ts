// `doctor`: everything a deploy needs from each host and from the forge, checked in turn, each
// check bounded in time, each problem with what to do about it. A host that cannot be reached
// still gets its other checks listed, as skipped, so the report always has the same rows.
import { connectHost, type HostSecrets } from "../../adapters/open-host.js";
import { parseHostTarget } from "../../adapters/ssh-target.js";
import type { Host } from "../../ports/host.js";
import type { Session } from "../session.js";
import { reachHost } from "./connect.js";
import { type Finding, ok, skipped } from "./finding.js";
import { checkForge } from "./forge.js";
import { checkReachedHost } from "./host.js";

export type { Finding } from "./finding.js";

const AFTER_LOGIN = ["docker", "disk", "proxy", "state dir", "lock"];

export async function doctor(s: Session): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const entry of s.config.hosts) findings.push(...(await checkHost(s, entry)));
  findings.push(...(await checkForge(s)));
  return findings;
}

async function checkHost(s: Session, entry: string): Promise<Finding[]> {
  const secrets: HostSecrets = {
    sshKey: s.credentials.sshKey,
    knownHosts: s.credentials.knownHosts,
    connectTimeoutMs: s.config.ssh.connect_timeout,
    keepaliveMs: s.config.ssh.keepalive,
  };
  const target = parseHostTarget(entry);
  let head: Finding[];
  let host: Host | undefined;
  if (target.kind === "local") {
    host = await connectHost(entry, secrets);
    head = [{ scope: entry, check: "ssh", ...ok("local engine, no SSH") }];
  } else {
    ({ findings: head, host } = await reachHost(entry, target, secrets));
  }
  if (!host)
    return [...head, ...AFTER_LOGIN.map((check) => ({ scope: entry, check, ...skipped("not logged in") }))];
  try {
    return [...head, ...(await checkReachedHost(s, entry, host))];
  } finally {
    await host.close();
  }
}

/** Exit 0 when nothing is a problem. */
export function healthy(findings: readonly Finding[]): boolean {
  return findings.every((f) => f.verdict !== "problem");
}
