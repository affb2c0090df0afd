// Host key pinning from known_hosts text (OpenSSH format, plain or hashed host patterns).
// We never trust on first use: an unknown key is refused with the command that pins it.
import { createHmac } from "node:crypto";

export interface KnownHostEntry {
  patterns: string[];
  keyType: string;
  key: string; // base64 blob
  revoked: boolean;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith("@")) {
      // @cert-authority lines pin a CA, which we do not support: skip rather than misread.
      if (fields[0] !== "@revoked") continue;
      revoked = true;
      fields.shift();
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) continue;
    entries.push({ patterns: hosts.split(","), keyType, key, revoked });
  }
  return entries;
}

/** The name OpenSSH records: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith("|1|")) {
    const [, , salt, hash] = pattern.split("|");
    if (!salt || !hash) return false;
    const digest = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
    return digest === hash;
  }
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replaceAll("*", ".*")
      .replaceAll("?", ".")}$`,
    "i",
  );
  return re.test(name);
}

export type HostKeyVerdict = "match" | "unknown" | "changed" | "revoked";

export function checkHostKey(
  entries: KnownHostEntry[],
  host: string,
  port: number,
  presentedKey: Buffer,
): HostKeyVerdict {
  const name = knownHostName(host, port);
  const presented = presentedKey.toString("base64");
  // OpenSSH: an entry applies when a positive pattern matches and no negated one (!pattern) does.
  const forHost = entries.filter(
    (e) =>
      e.patterns.some((p) => !p.startsWith("!") && patternMatches(p, name)) &&
      !e.patterns.some((p) => p.startsWith("!") && patternMatches(p.slice(1), name)),
  );
  if (forHost.some((e) => e.revoked && e.key === presented)) return "revoked";
  if (forHost.some((e) => !e.revoked && e.key === presented)) return "match";
  return forHost.some((e) => !e.revoked) ? "changed" : "unknown";
}
