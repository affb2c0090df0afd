// Pinning a host's key the way `ssh` does on first contact, but never silently: the key is read
// (no login), its fingerprint shown, and only a person's "yes" — or a known_hosts file that
// already pins this very key, checked out of band — makes it trusted. A file that pins another
// key for the host stops init before anything is written.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { knownHostsLine, type ScannedKey, scanHostKey } from "../../adapters/host-key.js";
import { checkHostKey, parseKnownHosts } from "../../adapters/known-hosts.js";
import { parseHostTarget } from "../../adapters/ssh-target.js";
import { errorMessage, TinyforgeError } from "../../errors.js";

export type PinOutcome =
  | { kind: "local" }
  /** The file already pins the key the host presents. */
  | { kind: "pinned-before"; key: ScannedKey; line: string; file: string }
  /** A person confirmed the fingerprint; the line was appended to the file. */
  | { kind: "pinned"; key: ScannedKey; line: string; file: string }
  /** Shown but not confirmed (declined, or no terminal to ask at): nothing trusted. */
  | { kind: "not-pinned"; key: ScannedKey; line: string; why: "declined" | "no terminal" }
  /** The host did not answer: nothing to show yet. */
  | { kind: "unreachable"; message: string };

export interface PinOptions {
  /** The known_hosts file that holds the pins (read, and appended to on confirmation). */
  file: string;
  /** Asks a person to confirm the fingerprint; absent when there is nobody to ask. */
  confirm?: (key: ScannedKey, hostName: string) => Promise<boolean>;
  timeoutMs?: number;
}

export async function pinHostKey(hostEntry: string, opts: PinOptions): Promise<PinOutcome> {
  const target = parseHostTarget(hostEntry);
  if (target.kind === "local") return { kind: "local" };
  let key: ScannedKey;
  try {
    key = await scanHostKey(target.host, target.port, opts.timeoutMs);
  } catch (e) {
    return { kind: "unreachable", message: errorMessage(e) };
  }
  const line = knownHostsLine(target.host, target.port, key);
  const text = existsSync(opts.file) ? readFileSync(opts.file, "utf8") : "";
  const verdict = checkHostKey(
    parseKnownHosts(text),
    target.host,
    target.port,
    Buffer.from(key.key, "base64"),
  );
  if (verdict === "match") return { kind: "pinned-before", key, line, file: opts.file };
  if (verdict !== "unknown")
    throw new TinyforgeError(
      "host_key_changed",
      `${opts.file} pins another key for ${target.host}:${target.port}; the host presents ${key.keyType} ${key.fingerprint} (${verdict})`,
      {
        hint: "if the host was rebuilt, verify its new key out of band and replace its line in that file; otherwise do not deploy to it",
      },
    );
  if (!opts.confirm) return { kind: "not-pinned", key, line, why: "no terminal" };
  if (!(await opts.confirm(key, `${target.host}:${target.port}`)))
    return { kind: "not-pinned", key, line, why: "declined" };
  mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
  const sep = text && !text.endsWith("\n") ? "\n" : "";
  appendFileSync(opts.file, `${sep}${line}\n`, { mode: 0o600 });
  return { kind: "pinned", key, line, file: opts.file };
}
