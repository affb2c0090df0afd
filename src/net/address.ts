// Which addresses an outbound call to a user-given URL (a self-hosted forge, a webhook) may reach.
// Link-local and cloud-metadata addresses are refused: a config or env that points a status at
// http://169.254.169.254/ must not turn the deploying runner into a credential-stealing proxy.
// Loopback and private ranges stay allowed: self-hosted forges and our tests live there.
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
// Link-local, which holds the AWS/GCP/Azure/DigitalOcean/OpenStack metadata endpoint 169.254.169.254.
blocked.addSubnet("169.254.0.0", 16, "ipv4");
blocked.addSubnet("fe80::", 10, "ipv6");
// Metadata endpoints outside link-local: Alibaba Cloud, Oracle Cloud, Azure's wire server, AWS IPv6.
for (const ip of ["100.100.100.200", "192.0.0.192", "168.63.129.16"]) blocked.addAddress(ip, "ipv4");
blocked.addAddress("fd00:ec2::254", "ipv6");
// The same IPv4 addresses embedded in IPv6 (BlockList already maps ::ffff:a.b.c.d itself):
// NAT64 (64:ff9b::/96) and the deprecated IPv4-compatible form (::a.b.c.d).
for (const prefix of ["64:ff9b::", "::"]) {
  blocked.addSubnet(`${prefix}a9fe:0`, 112, "ipv6");
  for (const hex of ["6464:64c8", "c000:c0", "a83f:8110"]) blocked.addAddress(`${prefix}${hex}`, "ipv6");
}

/** Names that mean "the metadata service" wherever they resolve (some only resolve on the cloud). */
const METADATA_NAMES = new Set(["metadata", "metadata.google.internal", "metadata.goog", "instance-data"]);

/** Why `ip` may not be reached, or undefined when it may. */
export function refusedAddress(ip: string): string | undefined {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const family = isIP(bare);
  if (family === 0) return undefined;
  return blocked.check(bare, family === 4 ? "ipv4" : "ipv6")
    ? `${bare} is a link-local or cloud-metadata address`
    : undefined;
}

/** Why a URL's host may not be reached before any DNS lookup (literal addresses, metadata names). */
export function refusedHost(hostname: string): string | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (METADATA_NAMES.has(name)) return `${name} is a cloud-metadata name`;
  return refusedAddress(name);
}
