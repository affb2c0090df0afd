// What a host's SSH key is, seen before trusting it: `init` shows its fingerprint so a person can
// compare it with the one the host's console prints (`ssh-keygen -lf /etc/ssh/ssh_host_*.pub`),
// and `doctor` names it when it is not pinned. Nothing here logs in: the handshake stops at the key.
import { createHash } from "node:crypto";
import ssh2 from "ssh2";
import { errorMessage, TinyforgeError } from "../errors.js";
import { knownHostName } from "./known-hosts.js";

export interface ScannedKey {
  /** "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa" … */
  keyType: string;
  /** The key blob, base64, as a known_hosts line carries it. */
  key: string;
  /** "SHA256:…" exactly as `ssh-keygen -lf` and `ssh` print it. */
  fingerprint: string;
}

/** OpenSSH's fingerprint of a key blob: SHA-256, base64 without padding. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The key type a blob names in its first field (an SSH string: uint32 length, then bytes). */
export function keyTypeOf(blob: Buffer): string {
  const n = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return blob.subarray(4, 4 + n).toString("latin1");
}

/** The known_hosts line that pins `key` for host:port. */
export function knownHostsLine(host: string, port: number, key: ScannedKey): string {
  return `${knownHostName(host, port)} ${key.keyType} ${key.key}`;
}

/**
 * The host key sshd at host:port presents. Settles within timeoutMs: a port that accepts and
 * never speaks, or drops the connection, is an error, never a wait.
 */
export function scanHostKey(host: string, port: number, timeoutMs = 10_000): Promise<ScannedKey> {
  return new Promise((resolve, reject) => {
    const conn = new ssh2.Client();
    let seen: ScannedKey | undefined;
    const done = (fn: () => void) => {
      clearTimeout(timer);
      conn.removeAllListeners();
      conn.on("error", () => undefined);
      conn.end();
      fn();
    };
    const timer = setTimeout(
      () =>
        done(() =>
          reject(
            new TinyforgeError(
              "host_unreachable",
              `${host}:${port}: no SSH host key within ${Math.round(timeoutMs / 1000)}s`,
              { hint: "check that sshd runs on that port and nothing in between drops the connection" },
            ),
          ),
        ),
      timeoutMs,
    );
    conn.on("error", (e) => {
      if (seen) done(() => resolve(seen!));
      else
        done(() =>
          reject(
            new TinyforgeError(
              "host_unreachable",
              `${host}:${port}: cannot reach sshd (${errorMessage(e)})`,
              {
                hint: "check the address and port, that sshd runs there, and any firewall",
                cause: e,
              },
            ),
          ),
        );
    });
    conn.on("close", () => {
      if (seen) done(() => resolve(seen!));
    });
    conn.connect({
      host,
      port,
      username: "tinyforge-host-key-scan",
      readyTimeout: timeoutMs,
      // Refusing the key ends the handshake here: no authentication is ever attempted.
      hostVerifier: (blob: Buffer) => {
        seen = { keyType: keyTypeOf(blob), key: blob.toString("base64"), fingerprint: fingerprintOf(blob) };
        return false;
      },
    });
  });
}
