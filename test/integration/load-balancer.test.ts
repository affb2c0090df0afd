// Two real hosts behind a load balancer: the testbed's shared engine (sshd :2222, as root) and its
// second engine (sshd :2223, its own user), both publishing on 127.0.0.1, and the testbed's caddy
// (or nginx) on the first host as the load balancer. Each host runs its own image for the first
// release ("v1" on the first host, "v2" on the second), so a body says which host answered.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Dockerode from "dockerode";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { CaddyProxy } from "../../src/adapters/proxy/caddy.js";
import { caddyRouteId } from "../../src/adapters/proxy/caddy-route.js";
import { type App, docker, fastHealth, makeApp, parseJsonLines, sshHost, tb } from "./harness.js";
import { DOMAIN, openTestHost, ptb, viaProxy } from "./proxy-harness.js";

interface Engine2 {
  host: string;
  sshUser: string;
  dockerSocket: string;
  knownHostsFile: string;
}
const e2 = (tb as unknown as { engine2?: Engine2 }).engine2;
if (!e2) throw new Error(".testbed/env.json has no engine2: run bash scripts/testbed.sh up");
const docker2 = new Dockerode({ socketPath: e2.dockerSocket });
const engines = [docker, docker2];

const khDir = mkdtempSync(join(tmpdir(), "tf-kh-"));
const knownHosts = join(khDir, "known_hosts");
writeFileSync(knownHosts, readFileSync(tb.knownHostsFile, "utf8") + readFileSync(e2.knownHostsFile, "utf8"));
const env = { TINYFORGE_KNOWN_HOSTS_FILE: knownHosts, TINYFORGE_LOCK_TTL_MS: "800" };

const STATE = ".tinyforge-it-lb";
const homes = ["/root", `/home/${e2.sshUser}`];

const caddyLb = {
  host: sshHost,
  driver: "caddy",
  admin: ptb.caddy.admin,
  server: ptb.caddy.server,
  health_interval: "500ms",
};
const nginxLb = {
  host: sshHost,
  driver: "nginx",
  config_dir: ptb.nginx.configDir,
  command: ptb.nginx.command,
  listen: ptb.nginx.listen,
};

const apps: App[] = [];
afterAll(async () => {
  for (const app of apps) {
    await app.cli(["teardown", "web", "--stage", "production"], env).catch(() => undefined);
    for (const d of engines) {
      const mine = { label: [`dev.tinyforge.project=${app.project}`] };
      for (const c of await d.listContainers({ all: true, filters: mine }))
        await d
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      for (const tag of ["one", "two"])
        await d
          .getImage(`tinyforge/${app.project}:${tag}`)
          .remove({ force: true })
          .catch(() => undefined);
    }
    for (const home of homes) rmSync(join(home, STATE, app.project), { recursive: true, force: true });
  }
  rmSync(khDir, { recursive: true, force: true });
});

/** Two hosts behind `lb`; `twoOn2` is what release "two" is on the second host. */
async function lbApp(lb: Record<string, unknown>, twoOn2 = tb.images.webV1): Promise<App> {
  const app = makeApp(
    {
      web: {
        source: "image",
        image: "tinyforge/PROJECT:{ref}",
        pull: "missing",
        port: 8080,
        healthcheck: fastHealth,
        drain: "300ms",
        stop_timeout: "0s",
      },
    },
    { lock_timeout: "30s", state_dir: STATE, domain: DOMAIN, load_balancer: lb },
  );
  apps.push(app);
  (app.config.workloads as { web: { image: string } }).web.image = `tinyforge/${app.project}:{ref}`;
  app.write({ ...app.config, hosts: [sshHost, e2!.host] });
  const tags: [Dockerode, string, string][] = [
    [docker, tb.images.webV1, "one"],
    [docker, tb.images.webV2, "two"],
    [docker2, tb.images.webV2, "one"],
    [docker2, twoOn2, "two"],
  ];
  for (const [d, image, tag] of tags) await d.getImage(image).tag({ repo: `tinyforge/${app.project}`, tag });
  return app;
}

const SHA = { one: "1111111", two: "2222222" };
const deploy = (ref: "one" | "two") => [
  "deploy",
  "web",
  "--stage",
  "production",
  "--sha",
  SHA[ref],
  "--ref",
  ref,
  "--json",
];
const hostnameOf = (app: App) => `stage-production-${app.project}.${DOMAIN}`;

/** The bodies of n requests through the load balancer; throws on a non-2xx. */
async function through(port: number, app: App, n = 12): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await viaProxy(port, hostnameOf(app));
    expect(r.status, r.body).toBe(200);
    bodies.push(r.body);
  }
  return bodies;
}

/** The load balancer's route on caddy, as the driver reads it back. */
async function caddyRoute(app: App) {
  const host = await openTestHost();
  try {
    return await new CaddyProxy(host, { admin: ptb.caddy.admin, server: ptb.caddy.server, tls: false }).get(
      hostnameOf(app),
    );
  } finally {
    await host.close();
  }
}

/** Every container of the app on both engines, with when it started: "touched" shows here. */
async function containersOf(app: App): Promise<string[]> {
  const mine = { label: [`dev.tinyforge.project=${app.project}`] };
  const all: string[] = [];
  for (const d of engines)
    for (const c of await d.listContainers({ all: true, filters: mine }))
      all.push(`${c.Id} ${(await d.getContainer(c.Id).inspect()).State.StartedAt}`);
  return all.sort();
}

/**
 * Waits until the load balancer no longer routes the app (nginx reloads asynchronously; a Caddy
 * with no matching route answers 200 with an empty body).
 */
async function untilGone(port: number, app: App): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const r = await viaProxy(port, hostnameOf(app));
    if (r.status !== 200 || !/^v\d$/.test(r.body)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the route still answers");
}

/** The ports an engine publishes the app's running containers on. */
async function statusPortsOn(app: App, d: Dockerode): Promise<number[]> {
  const mine = { label: [`dev.tinyforge.project=${app.project}`] };
  const running = await d.listContainers({ filters: mine });
  return running.flatMap((c) => c.Ports.flatMap((p) => (p.PublicPort ? [p.PublicPort] : []))).sort();
}

async function statusPorts(app: App): Promise<number[]> {
  const r = await app.cli(["status", "web", "--stage", "production", "--json"], env);
  expect(r.code, r.stderr).toBe(0);
  const rows = JSON.parse(r.stdout) as Array<{ url: string }>;
  return rows.map((x) => Number(new URL(x.url).port)).sort();
}

describe("two hosts behind a caddy load balancer", () => {
  it("one route lists both hosts' containers, and traffic through it reaches both hosts", async () => {
    const app = await lbApp(caddyLb);
    const r = await app.cli(deploy("one"), env);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const route = await caddyRoute(app);
    expect(route?.upstreams?.map((u) => u.port).sort()).toEqual(await statusPorts(app));
    expect(new Set(await through(ptb.caddy.port, app))).toEqual(new Set(["v1", "v2"]));
  });

  it("a failing gate on one host leaves both hosts on the old release and the route unchanged", async () => {
    const app = await lbApp(caddyLb, tb.images.webUnhealthy);
    expect((await app.cli(deploy("one"), env)).code).toBe(0);
    const route = await caddyRoute(app);
    const ports = await statusPorts(app);
    const r = await app.cli(deploy("two"), env);
    expect(r.code).toBe(1);
    expect(parseJsonLines(r.stdout).map((x) => x.outcome)).toEqual(["failed", "failed"]);
    expect(await caddyRoute(app)).toEqual(route);
    expect(await statusPorts(app)).toEqual(ports);
    expect(new Set(await through(ptb.caddy.port, app))).toEqual(new Set(["v1", "v2"]));
  });

  it("a swap that fails on one host puts the other back, and the route stays on the old containers", async () => {
    const app = await lbApp(caddyLb);
    expect((await app.cli(deploy("one"), env)).code).toBe(0);
    const route = await caddyRoute(app);
    // The second host cannot record its swap: its user may no longer write its instance state.
    const instances = join(homes[1]!, STATE, app.project, "instances");
    chmodSync(instances, 0o555);
    try {
      const r = await app.cli(deploy("two"), env);
      expect(r.code).toBe(1);
      const [first] = parseJsonLines(r.stdout) as Array<{ steps: { name: string; ok: boolean }[] }>;
      expect(first!.steps).toContainEqual(expect.objectContaining({ name: "swap-back", ok: true }));
    } finally {
      chmodSync(instances, 0o755);
    }
    expect(await caddyRoute(app)).toEqual(route);
    expect(new Set(await through(ptb.caddy.port, app))).toEqual(new Set(["v1", "v2"]));
  });

  it("a dead host drops out: every request is answered by the host that lives; teardown removes the route", async () => {
    const app = await lbApp(caddyLb);
    expect((await app.cli(deploy("one"), env)).code).toBe(0);
    const mine = { label: [`dev.tinyforge.project=${app.project}`] };
    for (const c of await docker2.listContainers({ filters: mine }))
      await docker2.getContainer(c.Id).stop({ t: 0 });
    // A request that meets the dead host before the next check is tried on the other one.
    expect(new Set(await through(ptb.caddy.port, app, 20))).toEqual(new Set(["v1"]));
    await new Promise((r) => setTimeout(r, 1500));
    expect(new Set(await through(ptb.caddy.port, app, 20))).toEqual(new Set(["v1"]));
    expect((await app.cli(["teardown", "web", "--stage", "production"], env)).code).toBe(0);
    expect(await caddyRoute(app)).toBeUndefined();
  });

  it("reconcile --routes puts back the route the load balancer lost, over both hosts, touching no container", async () => {
    const app = await lbApp(caddyLb);
    expect((await app.cli(deploy("one"), env)).code).toBe(0);
    const written = await caddyRoute(app);
    const containers = await containersOf(app);
    // Out of band, as a Caddy restarted without --resume would be: the route is gone.
    const del = await fetch(`${ptb.caddy.admin}/id/${caddyRouteId(hostnameOf(app))}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    await untilGone(ptb.caddy.port, app);

    const r = await app.cli(["reconcile", "--routes"], env);
    expect(r.code, r.stderr).toBe(0);
    const to = (await statusPorts(app)).map((p) => `127.0.0.1:${p}`).join(", ");
    expect(r.stdout).toContain(
      `load balancer: ${app.project}/web.production: route ${hostnameOf(app)} restored → ${to}\n`,
    );
    expect(await caddyRoute(app)).toEqual(written);
    expect(new Set(await through(ptb.caddy.port, app))).toEqual(new Set(["v1", "v2"]));
    expect(await containersOf(app)).toEqual(containers);

    const again = await app.cli(["reconcile", "--routes"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("load balancer: every route in place, nothing to do\n");
  });

  it("reconcile --routes with a host that cannot be reached: the route over the other, the host named, exit 4", async () => {
    const app = await lbApp(caddyLb);
    expect((await app.cli(deploy("one"), env)).code).toBe(0);
    await fetch(`${ptb.caddy.admin}/id/${caddyRouteId(hostnameOf(app))}`, { method: "DELETE" });
    // The second host's sshd no longer answers: nothing listens on that port.
    const gone = "ssh://tinyforge2@127.0.0.1:1";
    const config = app.config;
    app.write({ ...config, hosts: [sshHost, gone] });
    onTestFinished(() => app.write(config));

    const started = Date.now();
    const r = await app.cli(["reconcile", "--routes"], env);
    expect(r.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.stdout).toMatch(/^tinyforge2@127\.0\.0\.1:1: not reached, its routes not checked: /m);
    const [port] = await statusPortsOn(app, docker);
    expect(r.stdout).toContain(
      `load balancer: ${app.project}/web.production: route ${hostnameOf(app)} restored → 127.0.0.1:${port} (tinyforge2@127.0.0.1:1 not reached: left out until it can be read)\n`,
    );
    expect(new Set(await through(ptb.caddy.port, app))).toEqual(new Set(["v1"]));
  });
});

describe("two hosts behind an nginx load balancer", () => {
  it("traffic reaches both hosts, and a dead host's requests go to the other", async () => {
    const app = await lbApp(nginxLb);
    const r = await app.cli(deploy("one"), env);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(new Set(await through(ptb.nginx.port, app))).toEqual(new Set(["v1", "v2"]));
    const mine = { label: [`dev.tinyforge.project=${app.project}`] };
    for (const c of await docker2.listContainers({ filters: mine }))
      await docker2.getContainer(c.Id).stop({ t: 0 });
    expect(new Set(await through(ptb.nginx.port, app, 20))).toEqual(new Set(["v1"]));
    expect((await app.cli(["teardown", "web", "--stage", "production"], env)).code).toBe(0);
  });

  it("reconcile --routes puts back a server block the load balancer lost", async () => {
    const app = await lbApp(nginxLb);
    expect((await app.cli(deploy("one"), env)).code).toBe(0);
    // Out of band, as an nginx whose conf.d was not kept: the block is gone and nginx reloaded.
    rmSync(join(ptb.nginx.configDir, `${hostnameOf(app)}.conf`));
    execFileSync(ptb.nginx.command[0]!, [...ptb.nginx.command.slice(1), "-s", "reload"]);
    await untilGone(ptb.nginx.port, app);

    const r = await app.cli(["reconcile", "--routes"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `load balancer: ${app.project}/web.production: route ${hostnameOf(app)} restored → `,
    );
    expect(new Set(await through(ptb.nginx.port, app))).toEqual(new Set(["v1", "v2"]));
  });
});
