// Which addresses an outbound call to a user-given URL (a self-hosted forge, a webhook) may reach.
// Link-local and cloud-metadata addresses are refused: a config or env that points a status at
// http://169.254.169.254/ must not turn the deploying runner into a credential-stealing proxy.
// Loopback and private ranges stay allowed: self-hosted forges and our tests live there — unless
// the URL is a repository's own choice in the bot (notify.webhook): then only public addresses.
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

// Everything that is not a public unicast address, for URLs a repository names to the bot: a
// pushed tinyforge.yml must not aim the bot's POSTs at its loopback (a proxy's admin API) or its
// private network (and read the answers' statuses back as a port scan).
const nonPublic = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 connects to the local host
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and the broadcast address
] as const) {
  nonPublic.addSubnet(net, bits, "ipv4");
  // NAT64 would carry the bot to the same IPv4 address (BlockList maps ::ffff:a.b.c.d itself).
  const [a, b, c, d] = net.split(".").map(Number) as [number, number, number, number];
  const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
  nonPublic.addSubnet(`64:ff9b::${hex(a, b)}:${hex(c, d)}`, 96 + bits, "ipv6");
}
for (const [net, bits] of [
  ["::", 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ["64:ff9b:1::", 48], // local-use NAT64
  ["2001::", 32], // Teredo: an IPv4 address inside
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: an IPv4 address inside
  ["fc00::", 7], // unique local
  ["fe80::", 10],
  ["ff00::", 8], // multicast
] as const)
  nonPublic.addSubnet(net, bits, "ipv6");

/** Names that mean "the metadata service" wherever they resolve (some only resolve on the cloud). */
const METADATA_NAMES = new Set(["metadata", "metadata.google.internal", "metadata.goog", "instance-data"]);

/** Why `ip` may not be reached, or undefined when it may; `publicOnly`: nor a non-public one. */
export function refusedAddress(ip: string, publicOnly = false): string | undefined {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const family = isIP(bare);
  if (family === 0) return undefined;
  const type = family === 4 ? "ipv4" : "ipv6";
  if (blocked.check(bare, type)) return `${bare} is a link-local or cloud-metadata address`;
  if (publicOnly && nonPublic.check(bare, type)) return `${bare} is not a public address`;
  return undefined;
}

/** Why a URL's host may not be reached before any DNS lookup (literal addresses, metadata names). */
export function refusedHost(hostname: string, publicOnly = false): string | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (METADATA_NAMES.has(name)) return `${name} is a cloud-metadata name`;
  // Resolvers answer these from the host itself (RFC 6761), whatever DNS says.
  if (publicOnly && (name === "localhost" || name.endsWith(".localhost")))
    return `${name} is a loopback name`;
  return refusedAddress(name, publicOnly);
}
