// Changing proxy: cleans up after itself: the state records which proxy carries each route, and
// the next deploy (or reconcile) removes the route from the proxy it was on before.
import { existsSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CaddyProxy } from "../../src/adapters/proxy/caddy.js";
import { NginxProxy } from "../../src/adapters/proxy/nginx.js";
import type { Host } from "../../src/ports/host.js";
import { makeApp, removeProject } from "./harness.js";
import { DOMAIN, deployRef, hostnameOf, openTestHost, ptb, viaProxy, webWorkload } from "./proxy-harness.js";

const { caddy, nginx } = ptb;
const projects: string[] = [];
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanup) await c().catch(() => undefined);
  for (const p of projects) await removeProject(p);
});

const caddyProxy = { driver: "caddy", admin: caddy.admin, server: caddy.server };
const nginxProxy = {
  driver: "nginx",
  config_dir: nginx.configDir,
  command: nginx.command,
  listen: nginx.listen,
};

describe("a proxy change", () => {
  it("caddy → nginx: the next deploy serves through nginx and leaves no route on caddy", async () => {
    const app = makeApp({ web: webWorkload() }, { proxy: caddyProxy, domain: DOMAIN });
    projects.push(app.project);
    const host: Host = await openTestHost();
    cleanup.push(() => host.close());
    const onCaddy = new CaddyProxy(host, { admin: caddy.admin, server: caddy.server, tls: false });
    const onNginx = new NginxProxy(host, {
      configDir: nginx.configDir,
      command: nginx.command,
      listen: nginx.listen,
      tls: false,
    });

    const v1 = await deployRef(app, "v1", "1111111");
    expect(v1.code, v1.stderr).toBe(0);
    const hostname = hostnameOf(v1.result);
    cleanup.push(
      () => onCaddy.remove(hostname),
      () => onNginx.remove(hostname),
    );
    expect(await viaProxy(caddy.port, hostname)).toMatchObject({ status: 200, body: "v1" });
    const state = () =>
      JSON.parse(readFileSync(`${app.stateDir}/${app.project}/instances/web.production.json`, "utf8"));
    const upstream = { host: expect.any(String), port: expect.any(Number) };
    expect(state().routes).toEqual([
      { hostname, proxy: { ...caddyProxy, tls: false }, upstream, tls: false },
    ]);

    app.write({ ...app.config, proxy: nginxProxy });
    const v2 = await deployRef(app, "v2", "2222222");
    expect(v2.code, v2.stderr).toBe(0);
    expect(await viaProxy(nginx.port, hostname)).toMatchObject({ status: 200, body: "v2" });
    expect(await onCaddy.get(hostname)).toBeUndefined();
    expect(existsSync(`${nginx.configDir}/${hostname}.conf`)).toBe(true);
    // Only the serving record keeps its upstream (what a restore would put back).
    expect(state().routes).toEqual([
      { hostname, proxy: { ...nginxProxy, tls: false }, upstream, tls: false },
    ]);
  });

  it("reconcile after a change to an unreachable proxy says what is left where, and keeps it on record", async () => {
    const app = makeApp({ web: webWorkload() }, { proxy: nginxProxy, domain: DOMAIN });
    projects.push(app.project);
    const v1 = await deployRef(app, "v1", "1111111");
    expect(v1.code, v1.stderr).toBe(0);
    const hostname = hostnameOf(v1.result);
    const host: Host = await openTestHost();
    cleanup.push(() => host.close());
    const onNginx = new NginxProxy(host, {
      configDir: nginx.configDir,
      command: nginx.command,
      listen: nginx.listen,
      tls: false,
    });
    const onCaddy = new CaddyProxy(host, { admin: caddy.admin, server: caddy.server, tls: false });
    cleanup.push(
      () => onNginx.remove(hostname),
      () => onCaddy.remove(hostname),
    );

    // Pretend the route had lived on a Caddy that is gone (nothing listens on that admin port).
    const file = `${app.stateDir}/${app.project}/instances/web.production.json`;
    const s = JSON.parse(readFileSync(file, "utf8"));
    const gone = { driver: "caddy", admin: "http://127.0.0.1:1", server: "srv0" };
    s.routes = [...s.routes, { hostname, proxy: gone }];
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, JSON.stringify(s));

    const r = await app.cli(["reconcile"]);
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain(
      `route ${hostname} is left on caddy at http://127.0.0.1:1 server srv0`,
    );
    expect(JSON.parse(readFileSync(file, "utf8")).routes).toHaveLength(2);
  });
});
