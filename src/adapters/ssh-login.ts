// The SSH login alone (TCP, handshake, host key pinning, public-key authentication), apart from
// what a connection then carries (ssh-host.ts: Docker, SFTP, tunnels): it loads without Docker's
// client, so the CLI can start logging in while the rest of the program still loads.
import { connect, type Socket } from "node:net";
import { NodeSSH } from "node-ssh";
import { TinyforgeError } from "../errors.js";
import { checkHostKey, parseKnownHosts } from "./known-hosts.js";
import { CONNECT_TIMEOUT_MS, KEEPALIVE_MISSES, KEEPALIVE_MS } from "./ssh-bounds.js";

export type SshTarget = { user: string; host: string; port: number };

export interface SshLoginOptions {
  privateKey: string;
  knownHosts: string;
  /** TCP connect + SSH handshake + authentication must finish within this (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * A keepalive goes out after this much silence; three unanswered ones in a row (about 4× this)
   * declare the connection dead (default 3 s, so a silent host is given up within ~12 s).
   */
  keepaliveMs?: number;
  /**
   * A TCP connection to the target already opened (or opening): the login runs over it instead of
   * connecting, so the server's start-up overlapped the client's. One that has failed is left
   * alone and the login connects afresh (and meets the error itself, to report it as its own).
   * connectTimeoutMs then bounds the login from the moment it takes the connection over.
   */
  sock?: Socket;
}

/** Each login's TCP socket: ours, not ssh2's, so that `hangUp` can close it outright. */
const sockets = new WeakMap<NodeSSH, Socket>();

/** Logs in, or fails with a coded error that says what to check. */
export async function sshLogin(
  target: SshTarget,
  creds: SshLoginOptions,
  /** Aborting drops the connection at once, mid-handshake too (the login then fails). */
  signal?: AbortSignal,
): Promise<NodeSSH> {
  const name = `${target.user}@${target.host}:${target.port}`;
  const entries = parseKnownHosts(creds.knownHosts);
  const timeoutMs = creds.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  let keyProblem: string | undefined;
  const ssh = new NodeSSH();
  try {
    // Taken only while it is connecting or open: one refused, reset or already closed by the
    // peer (even before it is destroyed) is left for a fresh connect.
    const given = creds.sock;
    // Else dialled here, as ssh2 would dial it (and the login is timed from here): the socket is
    // ours to close outright (hangUp).
    const sock =
      given && !given.destroyed && (given.connecting || given.readyState === "open")
        ? given
        : connect({ host: target.host, port: target.port });
    // Before the handshake, not after: ssh2 without its native binding (as bundled) writes a
    // packet in pieces, and with Nagle on each of the ~6 handshake round trips waits out the
    // peer's delayed ACK (~40 ms each; TESTBED.md).
    sock.setNoDelay(true);
    coalesceWrites(sock);
    sockets.set(ssh, sock);
    const connecting = ssh.connect({
      host: target.host,
      port: target.port,
      sock,
      username: target.user,
      privateKey: creds.privateKey,
      // The key is the only way in: without this, ssh2 first asks for "none" (a round trip that
      // sshd answers with a failure listing publickey) before it offers the key.
      authHandler: ["publickey"],
      readyTimeout: timeoutMs,
      keepaliveInterval: creds.keepaliveMs ?? KEEPALIVE_MS,
      keepaliveCountMax: KEEPALIVE_MISSES,
      hostVerifier: (key: Buffer) => {
        const verdict = checkHostKey(entries, target.host, target.port, key);
        if (verdict !== "match") keyProblem = verdict;
        return verdict === "match";
      },
    });
    const drop = () => ssh.connection?.destroy();
    signal?.addEventListener("abort", drop, { once: true });
    await connecting.finally(() => signal?.removeEventListener("abort", drop));
  } catch (e) {
    hangUp(ssh);
    throw classify(e, name, keyProblem, timeoutMs);
  }
  // node-ssh stops listening for errors once logged in, and the Host that will watch this
  // connection may not exist yet: a reset meanwhile must not become an uncaught 'error' event
  // (what it means is seen when the connection is next used: it is closed).
  ssh.connection?.on("error", () => undefined);
  return ssh;
}

/**
 * Whatever is written to `sock` within one tick leaves in one writev. ssh2 without its native
 * binding writes each AES-GCM packet in three pieces (length, ciphertext, tag): with Nagle off that
 * was three syscalls and three TCP segments per packet, and a deploy's Docker API traffic over SSH
 * spent more of the Node thread in those writes than in anything else (the bot's pending statuses
 * wait for that thread). Corked until the end of the tick, nothing is held past it.
 */
export function coalesceWrites(sock: Socket): void {
  const write = sock.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    sock.uncork();
  };
  sock.write = function (this: Socket, ...args: Parameters<Socket["write"]>) {
    if (!corked) {
      corked = true;
      sock.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args as never);
  } as Socket["write"];
}

/**
 * Ends a login's connection: says goodbye (SSH_MSG_DISCONNECT) and closes the socket at once,
 * without waiting for the host to close its end — sshd tearing the session down takes tens of ms,
 * and meanwhile the socket and ssh2's keepalive timer would hold a finished command's process
 * open. Only once nothing is in flight: whatever was written and not yet answered is dropped.
 */
export function hangUp(ssh: NodeSSH): void {
  const sock = sockets.get(ssh);
  ssh.dispose();
  sock?.destroy();
}

function classify(
  e: unknown,
  name: string,
  keyProblem: string | undefined,
  timeoutMs: number,
): TinyforgeError {
  const err = e as NodeJS.ErrnoException & { level?: string };
  if (err.level === "client-timeout") {
    return new TinyforgeError(
      "host_unreachable",
      `${name}: no SSH handshake within ${Math.round(timeoutMs / 1000)}s (the host accepts connections but does not answer)`,
      {
        hint: "check that sshd runs on that port and the host is not overloaded; ssh.connect_timeout raises the bound",
        cause: e,
      },
    );
  }
  if (keyProblem === "unknown") {
    return new TinyforgeError("host_key_unknown", `${name}: host key is not pinned; refusing to connect`, {
      hint: "add the host's key to TINYFORGE_KNOWN_HOSTS (e.g. the output of `ssh-keyscan -p PORT HOST`, checked out of band)",
      cause: e,
    });
  }
  if (keyProblem === "changed" || keyProblem === "revoked") {
    return new TinyforgeError(
      "host_key_changed",
      `${name}: host key does not match the pinned key (${keyProblem}); refusing to connect`,
      {
        hint: "if the host was rebuilt, verify its new key out of band and replace the line in TINYFORGE_KNOWN_HOSTS",
        cause: e,
      },
    );
  }
  if (err.level === "client-authentication" || /authentication methods failed/i.test(err.message ?? "")) {
    return new TinyforgeError("host_auth_failed", `${name}: SSH authentication failed`, {
      hint: "check TINYFORGE_SSH_KEY and that its public key is in the user's authorized_keys",
      cause: e,
    });
  }
  return new TinyforgeError(
    "host_unreachable",
    `${name}: cannot reach the host over SSH (${err.code ?? err.message})`,
    {
      hint: "check the address and port in hosts:, that sshd runs there, and any firewall",
      cause: e,
    },
  );
}
