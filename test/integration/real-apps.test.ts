// Real apps on the real testbed: two routed workloads on their own names through Caddy and nginx,
// several names on one route, stage env over workload env, TINYFORGE_URL, resources and the
// restart policy as Docker holds them, and a release step that fails (old serves) or succeeds.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaddyProxy } from "../../src/adapters/proxy/caddy.js";
import { NginxProxy } from "../../src/adapters/proxy/nginx.js";
import type { Host } from "../../src/ports/host.js";
import { type App, docker, makeApp, parseJsonLines, removeProject, spawnCli, tb } from "./harness.js";
import { DOMAIN, openTestHost, ptb, viaProxy, webWorkload } from "./proxy-harness.js";

const { caddy, nginx } = ptb;
const SECRET = "s3cr3t-release-value";
let host: Host;
const projects: string[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  host = await openTestHost();
});
afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
  await host?.close();
  for (const p of projects) await removeProject(p);
});

const caddyProxy = { driver: "caddy", admin: caddy.admin, server: caddy.server };
const nginxProxy = {
  driver: "nginx",
  config_dir: nginx.configDir,
  command: nginx.command,
  listen: nginx.listen,
};

async function deploy(
  app: App,
  workload: string,
  ref: string,
  sha: string,
  env: Record<string, string> = {},
) {
  const r = await app.cli(
    ["deploy", workload, "--stage", "production", "--sha", sha, "--ref", ref, "--json"],
    env,
  );
  const result = parseJsonLines(r.stdout)[0];
  if (!result) throw new Error(`deploy ${workload} ${ref} printed no result (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, stderr: r.stderr, result };
}

/** Removes every route a project's deploys wrote, through the driver that wrote them. */
function forgetRoutes(driver: "caddy" | "nginx", names: string[]): void {
  cleanups.push(async () => {
    const proxy =
      driver === "caddy"
        ? new CaddyProxy(host, { admin: caddy.admin, server: caddy.server, tls: false })
        : new NginxProxy(host, {
            configDir: nginx.configDir,
            command: nginx.command,
            listen: nginx.listen,
            tls: false,
          });
    for (const n of names) await proxy.remove(n).catch(() => undefined);
  });
}

function dockerCli(...args: string[]): string {
  return execFileSync("docker", ["-H", `unix://${tb.dockerSocket}`, ...args], { encoding: "utf8" }).trim();
}

describe.each([
  ["caddy", caddyProxy, caddy.port],
  ["nginx", nginxProxy, nginx.port],
] as const)("two routed workloads through %s", (driver, proxy, port) => {
  it("each serves on its own names: web on both of its domains, api on the default pattern that names it", async () => {
    const app = makeApp(
      {
        web: webWorkload(),
        api: webWorkload({ image: "tinyforge/web:v2" }),
      },
      { proxy, domain: DOMAIN },
    );
    projects.push(app.project);
    const web = [`shop-${app.project}.${DOMAIN}`, `www-${app.project}.${DOMAIN}`];
    const api = `stage-production-${app.project}-api.${DOMAIN}`;
    app.write({
      ...app.config,
      workloads: { ...(app.config.workloads as object), web: webWorkload({ domains: { production: web } }) },
    });
    forgetRoutes(driver, [web[0]!, api]);

    const w = await deploy(app, "web", "v1", "1111111");
    expect(w.code, w.stderr).toBe(0);
    const a = await deploy(app, "api", "v2", "2222222");
    expect(a.code, a.stderr).toBe(0);

    expect(w.result.url).toBe(`http://${web[0]}`);
    expect(a.result.url).toBe(`http://${api}`);
    expect(await viaProxy(port, web[0]!)).toEqual({ status: 200, body: "v1" });
    expect(await viaProxy(port, web[1]!)).toEqual({ status: 200, body: "v1" });
    expect(await viaProxy(port, api)).toEqual({ status: 200, body: "v2" });
  });
});

describe("validate", () => {
  it("refuses two workloads that would be routed on one hostname, naming both", async () => {
    const app = makeApp(
      { web: webWorkload(), api: webWorkload() },
      { proxy: caddyProxy, domain: DOMAIN, hostname_pattern: "app-{stage}" },
    );
    const r = await app.cli(["validate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `workloads.api in stage production and workloads.web in stage production would both be routed on app-production.${DOMAIN}`,
    );
  });
});

describe("instance settings in the container", () => {
  let app: App;
  let container: string;
  beforeAll(async () => {
    app = makeApp(
      {
        web: webWorkload({
          env: { LOG_LEVEL: "debug", ONLY_WORKLOAD: "w", PUBLIC_URL: "{url}" },
          resources: { memory: "64m", cpus: 0.5 },
        }),
      },
      { proxy: caddyProxy, domain: DOMAIN },
    );
    projects.push(app.project);
    app.write({
      ...app.config,
      stages: { production: { branch: "main", env: { LOG_LEVEL: "info", WHO: "{workload}@{stage}" } } },
    });
    forgetRoutes("caddy", [`stage-production-${app.project}.${DOMAIN}`]);
    const d = await deploy(app, "web", "v1", "1111111");
    expect(d.code, d.stderr).toBe(0);
    container = d.result.container as string;
  });

  it("stage env wins over workload env, and placeholders are expanded", async () => {
    const env = (await docker.getContainer(container).inspect()).Config.Env;
    expect(env).toContain("LOG_LEVEL=info");
    expect(env).not.toContain("LOG_LEVEL=debug");
    expect(env).toContain("ONLY_WORKLOAD=w");
    expect(env).toContain("WHO=web@production");
    expect(env).toContain(`PUBLIC_URL=http://stage-production-${app.project}.${DOMAIN}`);
  });

  it("the container sees its own URL in TINYFORGE_URL", () => {
    expect(dockerCli("exec", container, "/bin/sh", "-c", "echo $TINYFORGE_URL")).toBe(
      `http://stage-production-${app.project}.${DOMAIN}`,
    );
  });

  it("resources are the container's limits, and it has a restart policy", async () => {
    const h = (await docker.getContainer(container).inspect()).HostConfig;
    expect(h.Memory).toBe(64 * 1024 * 1024);
    expect(h.NanoCpus).toBe(500_000_000);
    expect(h.RestartPolicy?.Name).toBe("unless-stopped");
  });

  it("tinyforge config prints the same settings without touching a host", async () => {
    const r = await app.cli(["config", "web", "--stage", "production", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.env).toMatchObject({ LOG_LEVEL: "info", WHO: "web@production" });
    expect(s.resources).toEqual({ memory: "64m", cpus: 0.5 });
  });
});

describe("release step", () => {
  it("a failing release fails the deploy: the old version serves, its output is in logs, redacted", async () => {
    const volume = `${Date.now().toString(36)}-rel-data`;
    const release = (code: number) => ({
      command: [
        "/bin/sh",
        "-c",
        `echo "migrating with $DB_PASSWORD"; echo "for $TINYFORGE_URL" > /data/migrated; exit ${code}`,
      ],
      timeout: "30s",
    });
    const app = makeApp(
      {
        web: webWorkload({ secrets: ["DB_PASSWORD"], volumes: [`${volume}:/data`], release: release(0) }),
      },
      { proxy: caddyProxy, domain: DOMAIN },
    );
    projects.push(app.project);
    cleanups.push(() => docker.getVolume(volume).remove({ force: true }));
    const hostname = `stage-production-${app.project}.${DOMAIN}`;
    forgetRoutes("caddy", [hostname]);
    const env = { DB_PASSWORD: SECRET };

    // A release that succeeds ran with the instance's volume and env before v1 started.
    const v1 = await deploy(app, "web", "v1", "1111111", env);
    expect(v1.code, v1.stderr).toBe(0);
    const names = (v1.result.steps as Array<{ name: string }>).map((s) => s.name);
    expect(names.indexOf("release")).toBeGreaterThan(-1);
    expect(names.indexOf("release")).toBeLessThan(names.indexOf("create"));
    expect(dockerCli("exec", v1.result.container as string, "cat", "/data/migrated")).toBe(
      `for http://${hostname}`,
    );

    // An unchanged deploy runs no release.
    const again = await deploy(app, "web", "v1", "1111111", env);
    expect(again.result.outcome).toBe("unchanged");
    expect((again.result.steps as Array<{ name: string }>).map((s) => s.name)).not.toContain("release");

    app.write({
      ...app.config,
      workloads: {
        web: webWorkload({ secrets: ["DB_PASSWORD"], volumes: [`${volume}:/data`], release: release(3) }),
      },
    });
    const v2 = await deploy(app, "web", "v2", "2222222", env);
    expect(v2.code).toBe(1);
    expect(v2.result).toMatchObject({
      outcome: "failed",
      previous: v1.result.container,
      error: { code: "release_failed" },
    });
    const error = v2.result.error as { message: string; output: string[] };
    expect(error.message).toBe("release /bin/sh exited with code 3");
    // The output reaches the failure reply, redacted; the message (commit statuses) never holds it.
    expect(error.output.join("\n")).toContain("migrating with ***");
    expect(error.output.join("\n")).not.toContain(SECRET);
    expect(error.message).not.toContain("migrating");
    expect(await viaProxy(caddy.port, hostname)).toEqual({ status: 200, body: "v1" });
    // No release container is left behind.
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`dev.tinyforge.project=${app.project}`, "dev.tinyforge.role=release"] },
    });
    expect(left).toEqual([]);

    const logs = await app.cli(["logs", v2.result.deployId as string], env);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain("migrating with");
    expect(logs.stdout).not.toContain(SECRET);
  });

  it("a release container left behind by a killed deploy is removed by reconcile", async () => {
    const app = makeApp({
      web: webWorkload({ release: { command: ["/bin/sh", "-c", "sleep 300"], timeout: "10m" } }),
    });
    projects.push(app.project);
    const ttl = { TINYFORGE_LOCK_TTL_MS: "800" };
    const releases = () =>
      docker.listContainers({
        all: true,
        filters: { label: [`dev.tinyforge.project=${app.project}`, "dev.tinyforge.role=release"] },
      });
    const { child, done } = spawnCli(
      app,
      ["deploy", "web", "--stage", "production", "--sha", "1111111", "--ref", "v1", "--json"],
      ttl,
    );
    // The deploy dies (a bot restart, a killed runner) while its release step runs.
    const deadline = Date.now() + 60_000;
    while ((await releases()).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(await releases()).toHaveLength(1);
    child.kill("SIGKILL");
    await done;
    expect((await releases())[0]?.Labels["dev.tinyforge.instance"]).toBe("web.production");

    const r = await app.cli(["reconcile"], ttl);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/web\.production: removed .*-release-\w+ \(a release step left behind\)/);
    expect(await releases()).toEqual([]);
  });
});
