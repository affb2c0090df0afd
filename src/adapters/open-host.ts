// Turns a `hosts:` entry into a connected Host, or a coded error saying what to check.
// ssh2 is CommonJS: Node's ESM loader does not see its named exports, so take the default.
import type { NodeSSH } from "node-ssh";
import ssh2 from "ssh2";
import { errorMessage, TinyforgeError } from "../errors.js";
import type { Host } from "../ports/host.js";
import { LocalHost } from "./local-host.js";
import { SshHost } from "./ssh-host.js";
import { parseHostTarget } from "./ssh-target.js";

export interface HostSecrets {
  sshKey?: string;
  knownHosts?: string;
  /** The config's ssh: bounds (defaults: 10 s to connect, 3 s keepalive). */
  connectTimeoutMs?: number;
  keepaliveMs?: number;
}

/** `login`: an SSH login to this entry with these secrets already under way (early-login.ts). */
export async function openHost(entry: string, secrets: HostSecrets, login?: Promise<NodeSSH>): Promise<Host> {
  const host = await connectHost(entry, secrets, login);
  try {
    await host.docker.ping();
  } catch (e) {
    await host.close();
    throw engineSilent(entry, host, e);
  }
  return host;
}

function engineSilent(entry: string, host: Host, e: unknown): TinyforgeError {
  const target = parseHostTarget(entry);
  if (target.kind === "local") {
    return new TinyforgeError(
      "host_unreachable",
      `cannot reach the local Docker engine: ${errorMessage(e)}`,
      {
        hint: "start dockerd (or Docker Desktop) and check access to /var/run/docker.sock",
      },
    );
  }
  return new TinyforgeError(
    "host_unreachable",
    `${host.name}: connected, but the Docker engine does not answer: ${errorMessage(e)}`,
    {
      hint: `check that dockerd runs, that the SSH user may use ${target.dockerSocket ?? "/var/run/docker.sock"}, and sshd's AllowStreamLocalForwarding`,
    },
  );
}

/** Logged in (SSH) or the local engine, its Docker engine not yet asked: `doctor` asks it itself. */
export async function connectHost(
  entry: string,
  secrets: HostSecrets,
  login?: Promise<NodeSSH>,
): Promise<Host> {
  const target = parseHostTarget(entry);
  if (target.kind === "local") return new LocalHost();
  if (!secrets.sshKey) {
    throw new TinyforgeError("usage", `${entry}: no SSH key`, {
      hint: "set TINYFORGE_SSH_KEY (the key text) or TINYFORGE_SSH_KEY_FILE",
    });
  }
  if (!secrets.knownHosts) {
    throw new TinyforgeError("usage", `${entry}: no pinned host keys`, {
      hint: "set TINYFORGE_KNOWN_HOSTS (known_hosts lines) or TINYFORGE_KNOWN_HOSTS_FILE, or pin the host in ~/.ssh/known_hosts; unknown host keys are refused",
    });
  }
  // A key ssh cannot read is the user's to fix, not the network's: say so before dialling.
  const parsed = ssh2.utils.parseKey(secrets.sshKey);
  if (parsed instanceof Error) {
    throw new TinyforgeError("usage", `${entry}: the SSH key cannot be read (${parsed.message})`, {
      hint: "TINYFORGE_SSH_KEY must hold an unencrypted private key (the whole file, BEGIN to END lines), or use TINYFORGE_SSH_KEY_FILE",
    });
  }
  const { dockerSocket: _socket, swarm, ...address } = target;
  return SshHost.connect(
    address,
    {
      privateKey: secrets.sshKey,
      knownHosts: secrets.knownHosts,
      ...(target.dockerSocket ? { dockerSocket: target.dockerSocket } : {}),
      ...(swarm ? { swarm } : {}),
      connectTimeoutMs: secrets.connectTimeoutMs,
      keepaliveMs: secrets.keepaliveMs,
    },
    login,
  );
}
