// Proves the testbed and the transport recipe the SSH adapter is built on: ONE SSH login carries
// both the Docker API (the engine's unix socket forwarded per request) and HTTP to a container's
// published port (a direct-tcpip channel), with the host key checked against known_hosts.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { Duplex } from "node:stream";
import Docker from "dockerode";
import { NodeSSH } from "node-ssh";
import type { Client } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTestbed, sshdLoginCount, uniqueName } from "./testbed.js";

const tb = loadTestbed();

/** Host key blobs known_hosts pins for host:port (`[host]:port` unless the port is 22). */
function pinnedKeys(knownHosts: string, host: string, port: number): Buffer[] {
  const pattern = port === 22 ? host : `[${host}]:${port}`;
  return knownHosts
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([hosts, , blob]) => blob && !hosts!.startsWith("#") && hosts!.split(",").includes(pattern))
    .map(([, , blob]) => Buffer.from(blob!, "base64"));
}

function hostVerifier(knownHosts: string): (key: Buffer) => boolean {
  const keys = pinnedKeys(knownHosts, tb.sshHost, tb.sshPort);
  return (key) => keys.some((k) => k.equals(key));
}

/**
 * Node's http client treats its connection as a net.Socket and calls methods an ssh2 channel lacks;
 * without them a request throws (setNoDelay/setKeepAlive/setTimeout) or never releases the channel
 * (destroySoon, called when a non-keep-alive response ends).
 */
function asSocket(channel: Duplex): Duplex {
  const s = channel as Duplex & Record<string, unknown>;
  const self = () => s;
  for (const m of ["setKeepAlive", "setNoDelay", "setTimeout", "ref", "unref"]) {
    if (typeof s[m] !== "function") s[m] = self;
  }
  if (typeof s.destroySoon !== "function") s.destroySoon = () => s.end();
  return s;
}

/**
 * An http.Agent whose every connection is a fresh channel to the remote Docker socket over one SSH
 * connection. keepAlive: false gives one channel per request: opening one is cheap, and a channel
 * never sits in the pool after the engine closed it.
 */
function dockerAgent(client: Client, socketPath: string, onChannel: () => void): http.Agent {
  const agent = new http.Agent({ keepAlive: false });
  // Returning nothing makes Node wait for the callback (http.Agent's async createConnection form).
  agent.createConnection = (_options, callback) => {
    client.openssh_forwardOutStreamLocal(socketPath, (err, channel) => {
      if (err) return callback?.(err, undefined as never);
      onChannel();
      callback?.(null, asSocket(channel));
    });
    return undefined;
  };
  return agent;
}

/** GET through a direct-tcpip channel on the same SSH connection (the container port is on the host's loopback). */
async function getThroughSsh(
  ssh: NodeSSH,
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  const channel = asSocket(await ssh.forwardOut("127.0.0.1", 0, "127.0.0.1", port));
  return new Promise((resolve, reject) => {
    const req = http.request(
      // No agent: with one (even agent: false) Node ignores createConnection and dials port itself.
      { host: "127.0.0.1", port, path, createConnection: () => channel },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${path} through SSH timed out`)));
    req.on("error", reject);
    req.end();
  });
}

describe("testbed: Docker and HTTP over one SSH connection", () => {
  const ssh = new NodeSSH();
  const containerName = uniqueName("tf-testbed");
  // Cleanup goes straight to the local engine so it works even when SSH is what failed.
  const localDocker = new Docker({ socketPath: tb.dockerSocket });
  let docker: Docker;
  let channels = 0;
  let loginsBefore = 0;

  beforeAll(async () => {
    loginsBefore = sshdLoginCount(tb);
    await ssh.connect({
      host: tb.sshHost,
      port: tb.sshPort,
      username: tb.sshUser,
      privateKey: readFileSync(tb.sshKeyFile, "utf8"),
      hostVerifier: hostVerifier(readFileSync(tb.knownHostsFile, "utf8")),
      readyTimeout: 10_000,
    });
    const client = ssh.connection!;
    // Small request/response exchanges stall ~40 ms each on Nagle + delayed ACK without this.
    client.setNoDelay(true);
    // @types/dockerode lacks `agent`, which docker-modem 5 passes to every http.request. socketPath
    // keeps docker-modem from building a TCP URL; the agent ignores it and opens the remote socket.
    docker = new Docker({
      socketPath: tb.dockerSocket,
      agent: dockerAgent(client, tb.dockerSocket, () => channels++),
    } as Docker.DockerOptions);
  });

  afterAll(async () => {
    await localDocker
      .getContainer(containerName)
      .remove({ force: true })
      .catch(() => undefined);
    ssh.dispose();
  });

  it("runs tinyforge/web:v1 through the forwarded socket and reads v1 through forwardOut", async () => {
    const t0 = performance.now();
    await docker.ping();
    const pingMs = performance.now() - t0;

    const container = await docker.createContainer({
      name: containerName,
      Image: tb.images.webV1,
      Labels: { "dev.tinyforge.test": "1" },
      ExposedPorts: { [`${tb.webPort}/tcp`]: {} },
      // Ephemeral port on loopback only: nothing of the testbed is reachable from outside.
      HostConfig: { PortBindings: { [`${tb.webPort}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: "" }] } },
    });
    await container.start();
    const info = await container.inspect();
    const hostPort = Number(info.NetworkSettings.Ports[`${tb.webPort}/tcp`]?.[0]?.HostPort);
    expect(hostPort).toBeGreaterThan(0);

    // docker-proxy accepts before httpd listens; retry briefly instead of sleeping a fixed time.
    let res: { status: number; body: string } | undefined;
    for (let i = 0; i < 50 && res?.status !== 200; i++) {
      res = await getThroughSsh(ssh, hostPort, "/").catch(() => undefined);
      if (res?.status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(res).toEqual({ status: 200, body: "v1\n" });
    expect((await getThroughSsh(ssh, hostPort, "/healthz")).body.trim()).toBe("ok");

    await container.remove({ force: true });
    await expect(localDocker.getContainer(containerName).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });

    // Every Docker call went through the tunnel (a channel per request), and it all took one login.
    expect(channels).toBeGreaterThanOrEqual(5);
    expect(sshdLoginCount(tb) - loginsBefore).toBe(1);
    console.info(`docker ping over SSH: ${pingMs.toFixed(1)} ms; ${channels} socket channels, 1 SSH login`);
  });

  it("refuses a host whose key is not the pinned one", async () => {
    const other = new NodeSSH();
    const wrongKey = Buffer.alloc(51, 1).toString("base64");
    await expect(
      other.connect({
        host: tb.sshHost,
        port: tb.sshPort,
        username: tb.sshUser,
        privateKey: readFileSync(tb.sshKeyFile, "utf8"),
        hostVerifier: hostVerifier(`[${tb.sshHost}]:${tb.sshPort} ssh-ed25519 ${wrongKey}\n`),
        readyTimeout: 10_000,
      }),
    ).rejects.toThrow();
    other.dispose();
  });
});
