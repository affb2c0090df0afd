// The first two checks of a host: is its key the pinned one, and does it let us in. The key is
// read before any login (a handshake that stops at the key), so an unpinned host is told apart
// from an unreachable one, and its fingerprint is in the hint, ready to compare and pin.
import { knownHostsLine, type ScannedKey, scanHostKey } from "../../adapters/host-key.js";
import { checkHostKey, parseKnownHosts } from "../../adapters/known-hosts.js";
import { connectHost, type HostSecrets } from "../../adapters/open-host.js";
import type { HostTarget } from "../../adapters/ssh-target.js";
import { errorMessage, isTinyforgeError } from "../../errors.js";
import type { Host } from "../../ports/host.js";
import { type Finding, ok, type Outcome, problem, skipped } from "./finding.js";

type SshTarget = Extract<HostTarget, { kind: "ssh" }>;

const REACH_HINT = "check the address and port in hosts:, that sshd runs there, and any firewall";

function keyVerdict(target: SshTarget, key: ScannedKey, knownHosts: string | undefined): Outcome {
  const verdict = checkHostKey(
    parseKnownHosts(knownHosts ?? ""),
    target.host,
    target.port,
    Buffer.from(key.key, "base64"),
  );
  if (verdict === "match") return ok(`pinned (${key.keyType} ${key.fingerprint})`);
  const line = knownHostsLine(target.host, target.port, key);
  if (verdict === "unknown")
    return problem(
      `not pinned: the host presents ${key.keyType} ${key.fingerprint}`,
      `compare that fingerprint with the host's own (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on its console), then add this line to TINYFORGE_KNOWN_HOSTS (the workflow's known-hosts secret): ${line}`,
    );
  return problem(
    `the host presents ${key.keyType} ${key.fingerprint}, which does not match the pinned key (${verdict})`,
    "if the host was rebuilt, verify its new key out of band and replace its line in TINYFORGE_KNOWN_HOSTS; otherwise do not connect",
  );
}

export interface Reached {
  findings: Finding[];
  /** Logged in, Docker not yet asked; undefined when the checks after these cannot run. */
  host?: Host;
}

/** The `ssh` and `host key` findings of one SSH host, and the logged-in host when both are fine. */
export async function reachHost(entry: string, target: SshTarget, secrets: HostSecrets): Promise<Reached> {
  const timeoutMs = secrets.connectTimeoutMs ?? 10_000;
  const at = (check: string, o: Outcome): Finding => ({ scope: entry, check, ...o });
  let key: ScannedKey;
  try {
    key = await scanHostKey(target.host, target.port, timeoutMs);
  } catch (e) {
    return {
      findings: [
        at("ssh", problem(errorMessage(e), (isTinyforgeError(e) && e.hint) || REACH_HINT)),
        at("host key", skipped("sshd did not answer")),
      ],
    };
  }
  const pinned = keyVerdict(target, key, secrets.knownHosts);
  if (pinned.verdict !== "ok")
    return {
      findings: [
        at("ssh", skipped("sshd answers; login not tried with an unpinned key")),
        at("host key", pinned),
      ],
    };
  try {
    const host = await connectHost(entry, secrets);
    return { findings: [at("ssh", ok(`logged in as ${target.user}`)), at("host key", pinned)], host };
  } catch (e) {
    const hint = (isTinyforgeError(e) && e.hint) || REACH_HINT;
    return { findings: [at("ssh", problem(errorMessage(e), hint)), at("host key", pinned)] };
  }
}
