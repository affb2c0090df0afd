// Serving containers come back by themselves after the Docker engine restarts (their restart
// policy), and the next reconcile agrees with them. The engine restarted is one the test owns
// (second-engine.ts, reached through `?socket=` on the hosts entry): the testbed's is shared.
import { afterAll, beforeAll, expect, it } from "vitest";
import { CaddyProxy } from "../../src/adapters/proxy/caddy.js";
import type { Host } from "../../src/ports/host.js";
import { type App, makeApp, parseJsonLines, sshHost, tb } from "./harness.js";
import { DOMAIN, hostnameOf, openTestHost, ptb, viaProxy, webWorkload } from "./proxy-harness.js";
import { SecondEngine } from "./second-engine.js";

const { caddy } = ptb;
let engine: SecondEngine;
let host: Host;
let app: App;
const routes: string[] = [];

beforeAll(async () => {
  engine = await SecondEngine.start([tb.images.webV1]);
  host = await openTestHost();
}, 240_000);

afterAll(async () => {
  // The deploy's routes are on the shared Caddy: remove them through the driver that wrote them.
  const proxy = new CaddyProxy(host, { admin: caddy.admin, server: caddy.server, tls: false });
  for (const r of routes) await proxy.remove(r).catch(() => undefined);
  await host?.close();
  await engine?.remove();
}, 120_000);

/** Polls `probe` until it holds, within a generous bound (a loaded machine). */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms / 1000} s (${String(last)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

it("after a dockerd restart the serving container is back with its id, answers through the proxy, and reconcile removes or restarts nothing", {
  retry: 1,
  timeout: 300_000,
}, async () => {
  app = makeApp(
    { web: webWorkload() },
    {
      hosts: [`${sshHost}?socket=${engine.socket}`],
      domain: DOMAIN,
      proxy: { driver: "caddy", admin: caddy.admin, server: caddy.server },
    },
  );
  const d = await app.cli([
    "deploy",
    "web",
    "--stage",
    "production",
    "--sha",
    "a".repeat(40),
    "--ref",
    "v1",
    "--json",
  ]);
  const result = parseJsonLines(d.stdout)[0];
  expect(d.code, d.stderr).toBe(0);
  expect(result?.outcome).toBe("success");
  const hostname = hostnameOf(result!);
  routes.push(hostname);
  expect((await viaProxy(caddy.port, hostname)).status).toBe(200);

  const name = result!.container as string;
  const before = await engine.docker.getContainer(name).inspect();
  expect(before.HostConfig.RestartPolicy?.Name).toBe("unless-stopped");

  await engine.restart();

  // The engine brings it back by itself: same container, running again.
  const after = await eventually("the container runs again", async () => {
    const i = await engine.docker.getContainer(name).inspect();
    return i.State.Running ? i : undefined;
  });
  expect(after.Id).toBe(before.Id);

  // reconcile agrees: nothing removed, restarted or adopted (a moved published port is repointed).
  const r = await app.cli(["reconcile"]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).not.toMatch(/removed|restarted|adopted|is gone|interrupted/);
  const again = await app.cli(["reconcile"]);
  expect(again.stdout).toMatch(/in order, nothing to do/);

  // And the app answers at its URL again.
  const answer = await eventually("the app answers through Caddy", async () => {
    const a = await viaProxy(caddy.port, hostname);
    return a.status === 200 ? a : undefined;
  });
  expect(answer.status).toBe(200);
  const status = await app.cli(["status", "web", "--stage", "production", "--json"]);
  const rows = JSON.parse(status.stdout) as Array<Record<string, unknown>>;
  expect(rows.map((row) => [row.state, row.container])).toEqual([["running", name]]);
});
