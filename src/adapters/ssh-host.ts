// A remote Docker host over ONE SSH connection per deploy: the Docker socket forwarded as a
// stream-local channel per API call (3-12 ms, vs 160-350 ms for a login per call), SFTP for
// state files, exec for the few shell commands, and forwardOut for health probes and proxy admin APIs.
import http from "node:http";
import type { Duplex } from "node:stream";
import Dockerode from "dockerode";
import { NodeSSH } from "node-ssh";
import type { ClientChannel, SFTPWrapper } from "ssh2";
import { TinyforgeError } from "../errors.js";
import type { ExecResult, Host, HostFiles, HttpRequest, HttpResponse, HttpResult } from "../ports/host.js";
import { DockerEngine } from "./docker-engine.js";
import { httpGet, httpRequest } from "./http-get.js";
import { checkHostKey, knownHostName, parseKnownHosts } from "./known-hosts.js";
import { SftpFiles } from "./sftp-files.js";
import { shellLine } from "./shell.js";

export interface SshCredentials {
  privateKey: string;
  knownHosts: string;
  dockerSocket?: string;
  readyTimeoutMs?: number;
}

// Node's http client calls these on its socket; an SSH channel lacks them.
function asSocket(ch: ClientChannel): Duplex {
  const s = ch as unknown as Record<string, unknown>;
  for (const m of ["setKeepAlive", "setNoDelay", "setTimeout", "ref", "unref"]) {
    if (typeof s[m] !== "function") s[m] = () => ch;
  }
  if (typeof s.destroySoon !== "function") s.destroySoon = () => ch.end();
  return ch;
}

/** An http.Agent whose every connection is a fresh channel to the host's Docker socket. */
class ChannelAgent extends http.Agent {
  constructor(private readonly open: () => Promise<Duplex>) {
    super({ keepAlive: false });
  }

  // Node calls createConnection(options, callback) and waits for the callback when we return nothing.
  override createConnection(_opts: unknown, cb: (err: Error | null, socket?: Duplex) => void): undefined {
    this.open().then(
      (s) => cb(null, s),
      (e: Error) => cb(e),
    );
    return undefined;
  }
}

function classify(e: unknown, name: string, keyProblem: string | undefined): TinyforgeError {
  const err = e as NodeJS.ErrnoException & { level?: string };
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

export class SshHost implements Host {
  readonly name: string;
  readonly address: string;
  readonly docker: DockerEngine;
  readonly files: HostFiles;
  private sftpChannel?: Promise<SFTPWrapper>;

  private constructor(
    private readonly ssh: NodeSSH,
    target: { user: string; host: string; port: number },
    dockerSocket: string,
  ) {
    this.name = `${target.user}@${target.host}:${target.port}`;
    this.address = target.host;
    const agent = new ChannelAgent(() => this.streamLocal(dockerSocket));
    this.docker = new DockerEngine(
      new Dockerode({ protocol: "http", host: "docker.sock", port: 80, agent } as never),
    );
    this.files = new SftpFiles(() => {
      this.sftpChannel ??= this.ssh.requestSFTP();
      return this.sftpChannel;
    });
  }

  static async connect(
    target: { user: string; host: string; port: number },
    creds: SshCredentials,
  ): Promise<SshHost> {
    const name = `${target.user}@${target.host}:${target.port}`;
    const entries = parseKnownHosts(creds.knownHosts);
    let keyProblem: string | undefined;
    const ssh = new NodeSSH();
    try {
      await ssh.connect({
        host: target.host,
        port: target.port,
        username: target.user,
        privateKey: creds.privateKey,
        readyTimeout: creds.readyTimeoutMs ?? 20_000,
        keepaliveInterval: 10_000,
        hostVerifier: (key: Buffer) => {
          const verdict = checkHostKey(entries, target.host, target.port, key);
          if (verdict !== "match") keyProblem = verdict;
          return verdict === "match";
        },
      });
    } catch (e) {
      ssh.dispose();
      throw classify(e, name, keyProblem);
    }
    // Without it every Docker call pays ~40 ms of Nagle + delayed ACK (TESTBED.md).
    ssh.connection?.setNoDelay(true);
    return new SshHost(ssh, target, creds.dockerSocket ?? "/var/run/docker.sock");
  }

  static knownHostName = knownHostName;

  private streamLocal(socketPath: string): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const conn = this.ssh.connection;
      if (!conn)
        return reject(new TinyforgeError("host_unreachable", `${this.name}: SSH connection is closed`));
      conn.openssh_forwardOutStreamLocal(socketPath, (err, ch) =>
        err ? reject(err) : resolve(asSocket(ch)),
      );
    });
  }

  private forwardOut(port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const conn = this.ssh.connection;
      if (!conn) return reject(new Error("SSH connection is closed"));
      conn.forwardOut("127.0.0.1", 0, "127.0.0.1", port, (err, ch) =>
        err ? reject(err) : resolve(asSocket(ch)),
      );
    });
  }

  async exec(argv: string[], opts: { stdin?: string } = {}): Promise<ExecResult> {
    const r = await this.ssh.execCommand(shellLine(argv), { stdin: opts.stdin, noTrim: true });
    return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  httpGet(port: number, path: string, timeoutMs: number, hostHeader?: string): Promise<HttpResult> {
    return httpGet(() => this.forwardOut(port), port, path, timeoutMs, hostHeader);
  }

  httpRequest(port: number, req: HttpRequest): Promise<HttpResponse> {
    return httpRequest(() => this.forwardOut(port), port, req);
  }

  async close(): Promise<void> {
    const sftp = await this.sftpChannel?.catch(() => undefined);
    sftp?.end();
    this.ssh.dispose();
  }
}
