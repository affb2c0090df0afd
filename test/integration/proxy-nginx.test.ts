// The nginx driver against the testbed's real nginx: files written over SFTP, nginx -t and -s
// reload run through SSH exec on the real sshd; and the engine's blue-green swap through it.
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NginxProxy } from "../../src/adapters/proxy/nginx.js";
import { nginxServerBlock, ROUTE_PROBE_PATH } from "../../src/adapters/proxy/nginx-block.js";
import { PS_ARGV } from "../../src/adapters/proxy/nginx-workers.js";
import type { Host } from "../../src/ports/host.js";
import { makeApp, projectContainers, removeProject } from "./harness.js";
import { buildConnWebImages, CONN_WEB } from "./keepalive-app.js";
import { loadDuring } from "./own-proxies.js";
import { DOMAIN, deployRef, hostnameOf, openTestHost, ptb, viaProxy, webWorkload } from "./proxy-harness.js";
import { uniqueName } from "./testbed.js";

const { nginx } = ptb;
let host: Host;
let proxy: NginxProxy;
const execs: string[][] = [];
const hostnames: string[] = [];
const projects: string[] = [];

const fileOf = (hostname: string) => `${nginx.configDir}/${hostname}.conf`;
const route = (hostname: string, port: number, upstream = "127.0.0.1") => ({
  hostname,
  upstream: { host: upstream, port },
  tls: false,
});

beforeAll(async () => {
  host = await openTestHost();
  // Count what runs on the host, to see which upserts reload and which do not.
  const exec = host.exec.bind(host);
  host.exec = (argv, opts) => {
    execs.push(argv);
    return exec(argv, opts);
  };
  proxy = new NginxProxy(host, {
    configDir: nginx.configDir,
    command: nginx.command,
    listen: nginx.listen,
    tls: false,
  });
});
afterAll(async () => {
  for (const h of hostnames) await proxy.remove(h).catch(() => undefined);
  await host?.close();
  for (const p of projects) await removeProject(p);
});

describe("nginx driver, real nginx over SSH", () => {
  it("upsert writes one server block, tests and reloads; the same upsert again runs nothing", async () => {
    const hostname = `${uniqueName("idem")}.${DOMAIN}`;
    hostnames.push(hostname);
    execs.length = 0;
    await proxy.upsert(route(hostname, 40001));
    expect(execs).toEqual([PS_ARGV, [...nginx.command, "-t"], [...nginx.command, "-s", "reload"]]);
    const block = nginxServerBlock(route(hostname, 40001), nginx.listen);
    expect(readFileSync(fileOf(hostname), "utf8")).toBe(block.text);
    expect(await viaProxy(nginx.port, hostname, ROUTE_PROBE_PATH)).toEqual({
      status: 200,
      body: block.revision,
    });

    execs.length = 0;
    await proxy.upsert(route(hostname, 40001));
    expect(execs).toEqual([]);
    expect(readdirSync(nginx.configDir).filter((f) => f.startsWith(hostname))).toEqual([`${hostname}.conf`]);
  });

  it("a block nginx -t rejects leaves the previous file, and nginx serving it", async () => {
    const hostname = `${uniqueName("bad")}.${DOMAIN}`;
    hostnames.push(hostname);
    await proxy.upsert(route(hostname, 40001));
    const before = readFileSync(fileOf(hostname), "utf8");
    const revision = nginxServerBlock(route(hostname, 40001), nginx.listen).revision;
    // nginx resolves an upstream's server names when it loads the config: one no DNS knows fails -t.
    await expect(proxy.upsert(route(hostname, 8080, "no-such-container.invalid"))).rejects.toMatchObject({
      code: "deploy_failed",
      message: expect.stringMatching(/^nginx -t rejected the server block for .*host not found in upstream/),
    });
    expect(readFileSync(fileOf(hostname), "utf8")).toBe(before);
    expect(await viaProxy(nginx.port, hostname, ROUTE_PROBE_PATH)).toEqual({ status: 200, body: revision });
  });

  it("a new block nginx -t rejects is removed again", async () => {
    const hostname = `${uniqueName("new-bad")}.${DOMAIN}`;
    await expect(proxy.upsert(route(hostname, 8080, "no-such-container.invalid"))).rejects.toMatchObject({
      code: "deploy_failed",
    });
    expect(readdirSync(nginx.configDir).filter((f) => f.startsWith(hostname))).toEqual([]);
  });

  it("remove deletes the block and reloads: the hostname falls to the default server", async () => {
    const hostname = `${uniqueName("rm")}.${DOMAIN}`;
    hostnames.push(hostname);
    await proxy.upsert(route(hostname, 40001));
    await proxy.remove(hostname);
    expect(readdirSync(nginx.configDir).filter((f) => f.startsWith(hostname))).toEqual([]);
    // The reload is asynchronous: give the new workers a moment.
    let status = 0;
    for (let i = 0; i < 100 && status !== 404; i++) {
      status = (await viaProxy(nginx.port, hostname, ROUTE_PROBE_PATH)).status;
      if (status !== 404) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(404);
    expect(await proxy.get(hostname)).toBeUndefined();
  });
});

describe("the Connection header nginx sends to the upstream", () => {
  it("none on a plain request, whatever the client sent; upgrade for a WebSocket, which then carries data", async () => {
    const hostname = `${uniqueName("ws")}.${DOMAIN}`;
    hostnames.push(hostname);
    const seen: Array<string | undefined> = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.connection);
      res.end("plain\n");
    });
    const upgraded: Array<{ destroy(): void }> = [];
    server.on("upgrade", (req, socket) => {
      upgraded.push(socket);
      seen.push(req.headers.connection);
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
      socket.on("data", (d) => socket.write(d)); // an echo
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      await proxy.upsert(route(hostname, (server.address() as AddressInfo).port));
      // viaProxy sends Connection: close; nginx does not pass it on.
      expect(await viaProxy(nginx.port, hostname)).toEqual({ status: 200, body: "plain" });
      const echoed = await new Promise<string>((resolve, reject) => {
        const req = http.request({
          host: "127.0.0.1",
          port: nginx.port,
          path: "/socket",
          headers: { host: hostname, connection: "Upgrade", upgrade: "websocket" },
        });
        req.on("upgrade", (res, socket) => {
          expect(res.statusCode).toBe(101);
          socket.once("data", (d) => {
            resolve(String(d));
            socket.destroy();
          });
          socket.write("ping");
        });
        req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
        req.on("error", reject);
        req.end();
      });
      expect(echoed).toBe("ping");
      expect(seen).toEqual([undefined, "upgrade"]);
    } finally {
      // An upgraded socket is no longer the server's: closeAllConnections does not reach it.
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 60_000);
});

/**
 * A stand-in for blue: answers "blue", or /slow once released, and can be stopped the way the
 * engine stops a container: the listener closed and every connection cut.
 */
async function heldBlue() {
  const seen: string[] = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? "");
    if (req.url === "/slow") void released.then(() => res.end("blue-slow\n"));
    else res.end("blue\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    release,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** GET through nginx with room for a held answer (viaProxy gives up after 5 s). */
function heldGet(hostname: string, path: string): Promise<{ status: number; body: string; at: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: "127.0.0.1",
        port: nginx.port,
        path,
        agent: false,
        headers: { host: hostname },
        timeout: 60_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim(), at: Date.now() }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 60 s")));
    req.on("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 800; i++) {
    if (await ok()) return;
    await sleep(25);
  }
  throw new Error(`never: ${what}`);
}

/**
 * An upsert away from blue while an old worker holds a request on it: starts it and returns once
 * the upsert has either returned or, the new block served, has seen an old worker still running
 * (a second `ps` after the reload).
 */
async function swapWhileHeld(p: NginxProxy, hostname: string, blue: Awaited<ReturnType<typeof heldBlue>>) {
  await p.upsert(route(hostname, blue.port));
  const held = heldGet(hostname, "/slow");
  await until("blue got /slow", () => blue.seen.includes("/slow"));
  let returned: number | undefined;
  execs.length = 0;
  const upserting = p.upsert(route(hostname, 40002)).then((note) => {
    returned = Date.now();
    return note;
  });
  const isPs = (a: string[]) => a.join(" ") === PS_ARGV.join(" ");
  await until("the upsert returned or looks for the old workers", () => {
    const reload = execs.findIndex((a) => a.at(-1) === "reload");
    // A second look: the first one found an old worker still running.
    return returned !== undefined || (reload >= 0 && execs.slice(reload).filter(isPs).length >= 2);
  });
  return { held, upserting, returned: () => returned };
}

describe("nginx's workers from before a reload (real nginx)", () => {
  it("the upsert returns only once they have finished what they hold on the previous upstream", async () => {
    const hostname = `${uniqueName("held")}.${DOMAIN}`;
    hostnames.push(hostname);
    const blue = await heldBlue();
    try {
      const { held, upserting, returned } = await swapWhileHeld(proxy, hostname, blue);
      // The new block is served, but an old worker still waits on blue: so does the route step
      // (before, it had returned here, and the engine went on to drain and stop blue).
      expect(returned()).toBeUndefined();
      blue.release();
      const note = await upserting;
      // What the engine does next (with a drain of 0 s): blue stops. A request an old worker
      // still held on it would be cut, and nginx would answer 502.
      await blue.stop();
      const answer = await held;
      expect(answer).toMatchObject({ status: 200, body: "blue-slow" });
      expect(answer.at).toBeLessThanOrEqual(returned()!);
      expect(note).toEqual({
        level: "info",
        message: expect.stringMatching(
          /^nginx's previous workers exited \d+ ms after the new block was served$/,
        ),
      });
    } finally {
      blue.release();
      await blue.stop().catch(() => undefined);
    }
  }, 60_000);

  it("past oldWorkersMs the upsert returns with a warning naming them, and they still finish", async () => {
    const hostname = `${uniqueName("outlast")}.${DOMAIN}`;
    hostnames.push(hostname);
    const bounded = new NginxProxy(host, {
      configDir: nginx.configDir,
      command: nginx.command,
      listen: nginx.listen,
      tls: false,
      oldWorkersMs: 500,
    });
    const blue = await heldBlue();
    try {
      const { held, upserting } = await swapWhileHeld(bounded, hostname, blue);
      expect(await upserting).toEqual({
        level: "warn",
        message: expect.stringMatching(
          /^nginx's workers from before the reload \(PID \d+(, \d+)*\) still run after \d+ ms: they hold requests/,
        ),
      });
      // Blue still runs: the old worker answers from it once it can.
      blue.release();
      expect(await held).toMatchObject({ status: 200, body: "blue-slow" });
    } finally {
      blue.release();
      await blue.stop();
    }
  }, 60_000);
});

describe("blue-green through nginx (the engine over the real sshd)", () => {
  it("v1 serves; a failed v2 leaves the route on v1; v2 then serves and v1's container is gone", async () => {
    const app = makeApp(
      { web: webWorkload() },
      {
        proxy: { driver: "nginx", config_dir: nginx.configDir, command: nginx.command, listen: nginx.listen },
        domain: DOMAIN,
      },
    );
    projects.push(app.project);

    const v1 = await deployRef(app, "v1", "1111111");
    expect(v1.code).toBe(0);
    const hostname = hostnameOf(v1.result);
    hostnames.push(hostname);
    expect(hostname).toBe(`stage-production-${app.project}.${DOMAIN}`);
    expect(await viaProxy(nginx.port, hostname)).toEqual({ status: 200, body: "v1" });
    const v1File = readFileSync(fileOf(hostname), "utf8");

    const bad = await deployRef(app, "unhealthy", "3333333");
    expect(bad.code).toBe(1);
    expect(bad.result).toMatchObject({ outcome: "failed", error: { code: "health_timeout" } });
    expect(readFileSync(fileOf(hostname), "utf8")).toBe(v1File);
    expect(await viaProxy(nginx.port, hostname)).toEqual({ status: 200, body: "v1" });
    expect((await projectContainers(app.project)).map((c) => c.Names[0]?.slice(1))).toEqual([
      v1.result.container,
    ]);

    const v2 = await deployRef(app, "v2", "2222222");
    expect(v2.code).toBe(0);
    expect(v2.result).toMatchObject({
      outcome: "success",
      previous: v1.result.container,
      url: `http://${hostname}`,
    });
    expect(await viaProxy(nginx.port, hostname)).toEqual({ status: 200, body: "v2" });
    expect((await projectContainers(app.project)).map((c) => c.Names[0]?.slice(1))).toEqual([
      v2.result.container,
    ]);
    expect(readdirSync(nginx.configDir).filter((f) => f.startsWith(hostname))).toEqual([`${hostname}.conf`]);
  });
});

describe("nginx's connections to the container (a blue-green deploy under load)", () => {
  it("no request fails, and nginx keeps its connections to the container open: not one per request", async () => {
    buildConnWebImages();
    const app = makeApp(
      { web: webWorkload({ image: `${CONN_WEB}:{ref}` }) },
      {
        proxy: { driver: "nginx", config_dir: nginx.configDir, command: nginx.command, listen: nginx.listen },
        domain: DOMAIN,
      },
    );
    projects.push(app.project);
    const v1 = await deployRef(app, "v1", "1111111");
    expect(v1.code).toBe(0);
    const hostname = hostnameOf(v1.result);
    hostnames.push(hostname);

    let v2: Awaited<ReturnType<typeof deployRef>> | undefined;
    const load = await loadDuring(nginx.port, hostname, async () => {
      v2 = await deployRef(app, "v2", "2222222");
    });
    expect(v2?.code).toBe(0);
    expect(load.errors).toEqual({});
    expect(load.statuses).toEqual({ "200": load.requests });
    // Each answer is "vN PORT", PORT one per connection nginx opened to the container. One per
    // request leaves a TIME_WAIT socket per request on the host, towards the container's address,
    // for 60 s: at ~470 requests/s Docker's docker-proxy runs out of ports to reach it and resets
    // what nginx sends (502).
    const bodies = Object.keys(load.bodies);
    expect(bodies.filter((b) => !/^v[12] \d+$/.test(b))).toEqual([]);
    expect(bodies.some((b) => b.startsWith("v2 "))).toBe(true);
    expect(load.requests).toBeGreaterThan(100);
    expect(bodies.length).toBeLessThan(load.requests / 5);
  }, 120_000);
});
