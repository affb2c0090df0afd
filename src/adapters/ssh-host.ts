// A remote Docker host over ONE SSH connection per deploy: the Docker socket forwarded as a
// stream-local channel per API call (3-12 ms, vs 160-350 ms for a login per call), SFTP for
// state files, exec for the few shell commands, and forwardOut for health probes and proxy admin APIs.
// Every one of those calls goes through the connection's Lifeline: when the connection drops, they
// all reject at once (connection_lost) instead of waiting for callbacks ssh2 never calls.
import http from "node:http";
import { inspect } from "node:util";
import type { Duplex } from "node:stream";
import Dockerode from "dockerode";
import type { NodeSSH } from "node-ssh";
import type { ClientChannel, SFTPWrapper } from "ssh2";
import { TinyforgeError } from "../errors.js";
import type { ExecResult, Host, HostFiles, HttpRequest, HttpResponse, HttpResult } from "../ports/host.js";
import { DOCKER_BOUNDS, DockerEngine } from "./docker-engine.js";
import { httpGet, httpRequest } from "./http-get.js";
import { knownHostName } from "./known-hosts.js";
import { plainHttpAgent } from "./plain-http.js";
import { Lifeline } from "./lifeline.js";
import { SFTP_BOUNDS, SftpFiles } from "./sftp-files.js";
import { shellLine } from "./shell.js";
import { hangUp, type SshLoginOptions, type SshTarget, sshLogin } from "./ssh-login.js";
import { SWARM_BOUNDS, SwarmEngine } from "./swarm-engine.js";
import type { Swarm } from "../ports/swarm.js";

export interface SshCredentials extends SshLoginOptions {
  dockerSocket?: string;
  /** The host is a Swarm manager (`swarm+ssh://`): services go through the same Docker API. */
  swarm?: boolean;
}

/** A remote command (compose up, a release command) gets this long at most. */
const EXEC_TIMEOUT_MS = 30 * 60_000;

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
export class ChannelAgent extends http.Agent {
  constructor(private readonly open: () => Promise<Duplex>) {
    super(plainHttpAgent({ keepAlive: false }));
  }

  // docker-modem formats every request's options with util.inspect({ showHidden, depth: null })
  // before it checks whether its debug log is on; through this agent that walked the whole SSH
  // connection (ssh2's client, its buffers and cipher state) on each Docker API call: tens of ms
  // of synchronous CPU per call, stalling the bot's webhooks while a deploy ran.
  [inspect.custom](): string {
    return "ChannelAgent";
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

export class SshHost implements Host {
  readonly name: string;
  readonly address: string;
  readonly docker: DockerEngine;
  readonly swarm?: Swarm;
  readonly files: HostFiles;
  private sftpChannel?: Promise<SFTPWrapper>;
  private readonly lifeline: Lifeline;

  private constructor(
    private ssh: NodeSSH,
    private readonly target: SshTarget,
    private readonly creds: SshCredentials,
  ) {
    this.name = `${target.user}@${target.host}:${target.port}`;
    this.address = target.host;
    this.lifeline = new Lifeline(`host ${target.host}`);
    this.watch(ssh);
    const agent = new ChannelAgent(() => this.streamLocal(creds.dockerSocket ?? "/var/run/docker.sock"));
    const dockerode = new Dockerode({ protocol: "http", host: "docker.sock", port: 80, agent } as never);
    this.docker = this.lifeline.wrap(new DockerEngine(dockerode), DOCKER_BOUNDS, "docker ");
    if (creds.swarm) this.swarm = this.lifeline.wrap(new SwarmEngine(dockerode), SWARM_BOUNDS, "swarm ");
    this.files = this.lifeline.wrap(new SftpFiles(() => this.sftp()), SFTP_BOUNDS, "sftp ");
  }

  /** The connection's SFTP channel, opened by the first call (and again after a reconnect). */
  private sftp(): Promise<SFTPWrapper> {
    if (!this.sftpChannel) {
      this.sftpChannel = this.ssh.requestSFTP();
      // Its failure is the first file operation's to report, as if that had opened it.
      this.sftpChannel.catch(() => undefined);
    }
    return this.sftpChannel;
  }

  /** Logs in, or takes a login already under way with the same target and credentials. */
  static async connect(
    target: SshTarget,
    creds: SshCredentials,
    login: Promise<NodeSSH> = sshLogin(target, creds),
  ): Promise<SshHost> {
    const ssh = await login;
    // A login begun early may have lost its connection while it waited to be taken.
    if (!ssh.isConnected()) {
      throw new TinyforgeError(
        "host_unreachable",
        `${target.user}@${target.host}:${target.port}: the SSH connection closed right after login`,
        { hint: "check the host's sshd (MaxStartups, a restart) and the network between; then run again" },
      );
    }
    const host = new SshHost(ssh, target, creds);
    // Every command reads state files: the SFTP channel (a round trip, and sftp-server starting
    // on the host) opens now, beside the first Docker call, instead of after it.
    void host.sftp();
    return host;
  }

  /** The connection's end, however it comes (closed, reset, keepalive timeout), cuts the lifeline. */
  private watch(ssh: NodeSSH): void {
    const conn = ssh.connection;
    if (!conn) {
      this.lifeline.cut("not connected");
      return;
    }
    let reason = "closed by the peer";
    // A replaced connection's late events must not cut its successor.
    const cut = () => {
      if (this.ssh === ssh) this.lifeline.cut(reason);
    };
    // Also keeps a late socket error from becoming an uncaught 'error' event.
    conn.on("error", (e: Error) => {
      reason = e.message;
      cut();
    });
    conn.on("end", cut);
    conn.on("close", cut);
  }

  /**
   * Logs in again after the connection was lost (bounded like the first login): the same Host,
   * and everything built on it (its proxy driver, its store), works again.
   */
  async reconnect(): Promise<void> {
    const ssh = await sshLogin(this.target, this.creds);
    hangUp(this.ssh);
    this.ssh = ssh;
    this.sftpChannel = undefined;
    this.lifeline.revive();
    this.watch(ssh);
  }

  static knownHostName = knownHostName;

  private streamLocal(socketPath: string): Promise<Duplex> {
    return this.lifeline.guard(
      () =>
        new Promise((resolve, reject) => {
          const conn = this.ssh.connection;
          if (!conn) return reject(new Error("SSH connection is closed"));
          conn.openssh_forwardOutStreamLocal(socketPath, (err, ch) =>
            // A refusal from sshd (the connection itself is fine): nothing listens on the socket.
            err
              ? reject(/Channel open failure/i.test(err.message) ? this.engineGone(socketPath, err) : err)
              : resolve(asSocket(ch)),
          );
        }),
      { timeoutMs: 30_000, what: "opening a channel to the Docker socket" },
    );
  }

  /** sshd could not open the Docker socket: nothing listens there (dockerd stopped, restarting). */
  private engineGone(socketPath: string, cause: Error): TinyforgeError {
    return new TinyforgeError(
      "docker_unreachable",
      `${this.name}: the Docker engine does not answer on ${socketPath} (is dockerd running?)`,
      {
        hint: "once dockerd is back, containers come back with their restart policy; the next deploy removes what this one left",
        cause,
      },
    );
  }

  private forwardOut(port: number): Promise<Duplex> {
    return this.lifeline.guard(
      () =>
        new Promise((resolve, reject) => {
          const conn = this.ssh.connection;
          if (!conn) return reject(new Error("SSH connection is closed"));
          conn.forwardOut("127.0.0.1", 0, "127.0.0.1", port, (err, ch) =>
            err ? reject(err) : resolve(asSocket(ch)),
          );
        }),
      { timeoutMs: 30_000, what: `opening a tunnel to port ${port}` },
    );
  }

  exec(argv: string[], opts: { stdin?: string } = {}): Promise<ExecResult> {
    return this.lifeline.guard(
      async () => {
        // docker and compose commands must reach the same engine as the API calls.
        const line = this.creds.dockerSocket
          ? shellLine(["env", `DOCKER_HOST=unix://${this.creds.dockerSocket}`, ...argv])
          : shellLine(argv);
        const r = await this.ssh.execCommand(line, { stdin: opts.stdin, noTrim: true });
        return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
      },
      { timeoutMs: EXEC_TIMEOUT_MS, what: `\`${argv.slice(0, 3).join(" ")}\`` },
    );
  }

  // Probes and admin calls carry their own timeout; the lifeline adds the dropped connection.
  httpGet(port: number, path: string, timeoutMs: number, hostHeader?: string): Promise<HttpResult> {
    return this.lifeline.guard(() => httpGet(() => this.forwardOut(port), port, path, timeoutMs, hostHeader));
  }

  httpRequest(port: number, req: HttpRequest): Promise<HttpResponse> {
    return this.lifeline.guard(() => httpRequest(() => this.forwardOut(port), port, req));
  }

  async close(): Promise<void> {
    // A dead connection's SFTP channel never answers: do not wait on it.
    if (!this.lifeline.lost) {
      const sftp = await this.sftpChannel?.catch(() => undefined);
      sftp?.end();
    }
    this.lifeline.cut("closed by us");
    // Every call through this host was answered or has failed (the lifeline is cut): nothing of
    // ours is in flight, so the host's own close of the connection need not be waited for.
    hangUp(this.ssh);
  }
}
