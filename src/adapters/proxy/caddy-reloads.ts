// Whether a Caddy on this host loses connections at a reload. Caddy (2.6 and later) reloads — on
// every admin API change, so on every swap — by opening a new SO_REUSEPORT socket and closing the
// old one; Linux resets the connections still queued on the closed socket unless
// net.ipv4.tcp_migrate_req lets it hand them to the new one (Linux 5.14+). The value read is the
// host's network namespace's: a Caddy in a container has its own, which the fix names.
import type { HostFiles } from "../../ports/host.js";

export const MIGRATE_REQ = "/proc/sys/net/ipv4/tcp_migrate_req";

const MIGRATE_REQ_FIX =
  "echo 'net.ipv4.tcp_migrate_req = 1' > /etc/sysctl.d/60-tinyforge.conf && sysctl --system on the host (caddy in a container: docker run --sysctl net.ipv4.tcp_migrate_req=1; README: Caddy's reloads and tcp_migrate_req)";

const LOSES = "each route change (each swap) resets the new connections queued on caddy's old socket";

export interface ReloadsReset {
  reason: string;
  /** What the operator does about it. */
  fix: string;
}

/** Why caddy's reloads reset connections here, or undefined when the host hands them over. */
export async function caddyReloadsReset(files: Pick<HostFiles, "read">): Promise<ReloadsReset | undefined> {
  const value = (await files.read(MIGRATE_REQ))?.trim();
  if (value === "1") return undefined;
  if (value === undefined)
    return {
      reason: `this kernel has no net.ipv4.tcp_migrate_req (Linux 5.14+): ${LOSES}`,
      fix: "upgrade the host's kernel to 5.14 or later, or use proxy.driver: nginx, which keeps its socket across a reload",
    };
  return { reason: `net.ipv4.tcp_migrate_req = ${value}: ${LOSES}`, fix: MIGRATE_REQ_FIX };
}
