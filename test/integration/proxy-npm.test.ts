// The npm driver through the engine over the real sshd, against the NPM fake (we cannot run Nginx
// Proxy Manager here): its API is reached through the deploy's SSH connection like a real NPM on the
// host's port 81 would be, and the test asserts the calls NPM got.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeNpm } from "../fakes/npm-server.js";
import { docker, makeApp, projectContainers, removeProject } from "./harness.js";
import { DOMAIN, deployRef, hostnameOf, webWorkload } from "./proxy-harness.js";
import { uniqueName } from "./testbed.js";

const npm = new FakeNpm();
const env = { TINYFORGE_PROXY_USER: "admin@example.com", TINYFORGE_PROXY_PASSWORD: "changeme" };
const projects: string[] = [];
const networks: string[] = [];

beforeAll(async () => {
  await npm.start();
});
afterAll(async () => {
  for (const p of projects) await removeProject(p);
  for (const n of networks)
    await docker
      .getNetwork(n)
      .remove()
      .catch(() => undefined);
  await npm.stop();
});

/** Requests that change something: not a look, not a login. */
const writes = () => npm.calls().filter((c) => !c.startsWith("GET ") && c !== "POST /api/tokens");

async function hostPortOf(container: string): Promise<number> {
  const info = await docker.getContainer(container).inspect();
  return Number(Object.values(info.NetworkSettings.Ports ?? {})[0]?.[0]?.HostPort);
}

function npmApp(workload: Record<string, unknown> = {}) {
  const app = makeApp(
    { web: webWorkload(workload) },
    { proxy: { driver: "npm", admin: `http://127.0.0.1:${npm.port}` }, domain: DOMAIN },
  );
  projects.push(app.project);
  return app;
}

describe("blue-green through Nginx Proxy Manager (fake), the engine over the real sshd", () => {
  it("v1 creates the host; a failed v2 writes nothing; v2 is one PUT of the port; nothing is ever deleted", async () => {
    const app = npmApp();
    npm.requests.length = 0;
    const v1 = await deployRef(app, "v1", "1111111", env);
    expect(v1.code).toBe(0);
    const hostname = hostnameOf(v1.result);
    const v1Port = await hostPortOf(v1.result.container as string);
    expect(writes()).toEqual(["POST /api/nginx/proxy-hosts"]);
    expect(npm.calls().slice(0, 2)).toEqual(["POST /api/tokens", "GET /api/nginx/proxy-hosts"]);
    // After the write, NPM was asked whether nginx took it (the deploy then lists the hosts once more,
    // to put back routes a proxy restart lost).
    const afterPost = npm.calls().slice(npm.calls().indexOf("POST /api/nginx/proxy-hosts") + 1);
    expect(afterPost[0]).toMatch(/^GET \/api\/nginx\/proxy-hosts\/\d+$/);
    expect(
      npm.requests.find((r) => r.method === "POST" && r.path === "/api/nginx/proxy-hosts")!.body,
    ).toEqual({
      domain_names: [hostname],
      forward_scheme: "http",
      forward_host: "127.0.0.1",
      forward_port: v1Port,
      allow_websocket_upgrade: true,
    });
    expect(npm.served.get(hostname)).toBe(`127.0.0.1:${v1Port}`);
    const id = npm.rows.find((r) => r.domain_names[0] === hostname)!.id;

    npm.requests.length = 0;
    const bad = await deployRef(app, "unhealthy", "3333333", env);
    expect(bad.code).toBe(1);
    // The gate failed before the route step: NPM got no write (a deploy may still look), and
    // still routes to v1.
    expect(writes()).toEqual([]);
    expect(npm.served.get(hostname)).toBe(`127.0.0.1:${v1Port}`);

    npm.requests.length = 0;
    const v2 = await deployRef(app, "v2", "2222222", env);
    expect(v2.code).toBe(0);
    const v2Port = await hostPortOf(v2.result.container as string);
    expect(writes()).toEqual([`PUT /api/nginx/proxy-hosts/${id}`]);
    expect(npm.requests.find((r) => r.method === "PUT")!.body).toEqual({ forward_port: v2Port });
    // NPM was asked whether nginx took the new config after the write.
    const afterPut = npm.calls().slice(npm.calls().indexOf(`PUT /api/nginx/proxy-hosts/${id}`) + 1);
    expect(afterPut[0]).toBe(`GET /api/nginx/proxy-hosts/${id}`);
    expect(npm.served.get(hostname)).toBe(`127.0.0.1:${v2Port}`);
    // What NPM now forwards to is v2, and v1's container is gone.
    expect((await (await fetch(`http://127.0.0.1:${v2Port}/`)).text()).trim()).toBe("v2");
    expect((await projectContainers(app.project)).map((c) => c.Names[0]?.slice(1))).toEqual([
      v2.result.container,
    ]);
    expect(npm.rows.filter((r) => r.domain_names.includes(hostname))).toHaveLength(1);
    expect(npm.requests.filter((r) => r.method === "DELETE")).toEqual([]);
  });

  it("on a shared network, NPM forwards to the container by name, and the name answers on that network", async () => {
    const net = uniqueName("tf-net");
    await docker.createNetwork({ Name: net, Labels: { "dev.tinyforge.test": "1" } });
    networks.push(net);
    const app = npmApp({ network: net });

    const v1 = await deployRef(app, "v1", "1111111", env);
    expect(v1.code).toBe(0);
    const hostname = hostnameOf(v1.result);
    expect(npm.served.get(hostname)).toBe(`${v1.result.container}:8080`);

    npm.requests.length = 0;
    const v2 = await deployRef(app, "v2", "2222222", env);
    expect(v2.code).toBe(0);
    expect(npm.requests.find((r) => r.method === "PUT")!.body).toEqual({ forward_host: v2.result.container });
    expect(npm.served.get(hostname)).toBe(`${v2.result.container}:8080`);
    // A proxy container on that network (NPM's usual place) reaches the forward target by name.
    const body = execFileSync(
      "docker",
      [
        "run",
        "--rm",
        "--network",
        net,
        "tinyforge/busybox:latest",
        "wget",
        "-qO-",
        `http://${v2.result.container}:8080/`,
      ],
      { encoding: "utf8", env: { ...process.env, DOCKER_HOST: "unix:///var/run/docker.sock" } },
    );
    expect(body.trim()).toBe("v2");
  });

  it("without NPM credentials the deploy stops before touching anything, naming the variables", async () => {
    const app = npmApp();
    const r = await app.cli(["deploy", "web", "--stage", "production", "--sha", "1111111", "--ref", "v1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("TINYFORGE_PROXY_USER");
    expect(await projectContainers(app.project)).toEqual([]);
  });
});
