// Docker API calls are plain HTTP over a socket or an SSH channel. Node's http.Agent otherwise
// guesses a TLS server name for each request with net.isIP(host), which for "localhost" or
// "docker.sock" compiles and runs the IPv6 pattern: 12-15 ms of CPU on a CLI run's first call.
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Dockerode from "dockerode";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LocalHost } from "../../../src/adapters/local-host.js";
import { ChannelAgent } from "../../../src/adapters/ssh-host.js";

const servers: Server[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A stand-in Docker engine: answers the ping on a socket path or a loopback port. */
async function fakeEngine(at: string | 0): Promise<Server> {
  const server = createServer((req, res) => res.end(req.url === "/_ping" ? "OK" : "{}"));
  servers.push(server);
  await new Promise<void>((r) => (at === 0 ? server.listen(0, "127.0.0.1", r) : server.listen(at, r)));
  return server;
}

/** The hosts net.isIP was asked about while fn ran. */
async function isIpAsked(fn: () => Promise<unknown>): Promise<string[]> {
  const isIP = vi.spyOn(net, "isIP");
  await fn();
  return isIP.mock.calls.map(([host]) => host);
}

describe("the Docker API client's HTTP agent", () => {
  it("on the local engine's socket, sends without guessing a TLS server name", async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), "tf-agent-")), "docker.sock");
    await fakeEngine(socketPath);
    const host = new LocalHost(socketPath);
    const asked = await isIpAsked(() => host.docker.ping());
    expect(asked).not.toContain("localhost");
  });

  it("through an SSH channel, sends without guessing a TLS server name", async () => {
    const port = ((await fakeEngine(0)).address() as net.AddressInfo).port;
    const agent = new ChannelAgent(async () => net.connect(port, "127.0.0.1"));
    const docker = new Dockerode({ protocol: "http", host: "docker.sock", port: 80, agent } as never);
    const asked = await isIpAsked(() => docker.ping());
    expect(asked).not.toContain("docker.sock");
  });
});
