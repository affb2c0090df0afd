// nginx as users have it: Debian's stock nginx.conf plus the README's two lines, an nginx of the
// test's own (restarted and reloaded here), reached through the testbed's sshd like every driver.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeApp, parseJsonLines, projectContainers, removeProject } from "./harness.js";
import { loadDuring, type OwnNginx, ownNginx, readmeBlock } from "./own-proxies.js";
import { viaProxy, webWorkload } from "./proxy-harness.js";

// A realistic domain: with it the default hostnames pass the ~45 characters a 64-byte bucket holds.
const DOMAIN = "tinyforge.test";
const nginxes: OwnNginx[] = [];
const projects: string[] = [];

afterAll(async () => {
  for (const n of nginxes) await n.stop();
  for (const p of projects) await removeProject(p);
});

function appFor(nginx: OwnNginx) {
  const app = makeApp(
    { web: webWorkload() },
    {
      proxy: {
        driver: "nginx",
        config_dir: nginx.configDir,
        command: nginx.command,
        listen: `127.0.0.1:${nginx.port}`,
      },
      domain: DOMAIN,
    },
  );
  projects.push(app.project);
  return app;
}

async function deploy(
  app: ReturnType<typeof makeApp>,
  stage: string,
  ref: string,
  sha: string,
  tag?: string,
) {
  const r = await app.cli([
    "deploy",
    "web",
    "--stage",
    stage,
    "--sha",
    sha,
    "--ref",
    ref,
    ...(tag ? ["--tag", tag] : []),
    "--json",
  ]);
  const result = parseJsonLines(r.stdout)[0];
  if (!result) throw new Error(`deploy printed no result (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, result, hostname: result.url ? new URL(result.url as string).hostname : "" };
}

describe("nginx from Debian's stock nginx.conf", () => {
  it("with only the include line, a default hostname fails nginx -t and the error names the line to add", async () => {
    const include = readmeBlock("nginx")
      .split("\n")
      .filter((l) => l.startsWith("include"))
      .join("\n");
    const nginx = await ownNginx(include);
    nginxes.push(nginx);
    await nginx.start();
    const app = appFor(nginx);
    const r = await deploy(app, "production", "v1", "1111111");
    expect({ code: r.code, error: r.result.error }).toMatchObject({
      code: 1,
      error: {
        code: "deploy_failed",
        message: expect.stringMatching(
          /^nginx -t rejected .*; add `server_names_hash_bucket_size 128;` inside http \{ \} in nginx.conf .*server_names_hash_bucket_size: 64/,
        ),
      },
    });
    // Nothing routes there: the stock default site answers, as before the deploy.
    expect(readdirSync(nginx.configDir)).toEqual([]);
    expect(await viaProxy(nginx.port, `stage-production-${app.project}.${DOMAIN}`)).toMatchObject({
      body: expect.stringContaining("Welcome to nginx"),
    });
    // The README's lines are what the error asks for.
    expect(readmeBlock("nginx")).toContain("server_names_hash_bucket_size 128;");
  });

  describe("with the README's lines", () => {
    let nginx: OwnNginx;
    let app: ReturnType<typeof makeApp>;
    let prod: string;
    let preview: string;

    beforeAll(async () => {
      nginx = await ownNginx();
      nginxes.push(nginx);
      await nginx.start();
      app = appFor(nginx);
    });

    it("long default hostnames deploy; a restart keeps the routes; lost ones come back with reconcile --routes, no container touched", async () => {
      const p = await deploy(app, "production", "v1", "1111111");
      const v = await deploy(app, "preview", "v2", "2222222", "pr-123");
      expect([p.code, v.code]).toEqual([0, 0]);
      prod = p.hostname;
      preview = v.hostname;
      expect(preview).toBe(`stage-preview-${app.project}-pr-123.${DOMAIN}`);
      expect(preview.length).toBeGreaterThan(46);
      expect(await viaProxy(nginx.port, prod)).toEqual({ status: 200, body: "v1" });
      expect(await viaProxy(nginx.port, preview)).toEqual({ status: 200, body: "v2" });

      await nginx.stop();
      await nginx.start();
      expect(await viaProxy(nginx.port, prod)).toEqual({ status: 200, body: "v1" });
      expect(await viaProxy(nginx.port, preview)).toEqual({ status: 200, body: "v2" });

      // A proxy container restarted without config_dir as a volume: the blocks are gone.
      await nginx.stop();
      rmSync(nginx.configDir, { recursive: true });
      mkdirSync(nginx.configDir);
      await nginx.start();
      expect((await viaProxy(nginx.port, prod)).body).not.toBe("v1");

      const containers = (await projectContainers(app.project)).map((c) => c.Id).sort();
      const r = await app.cli(["reconcile", "--routes"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`route ${prod} restored`);
      expect(r.stdout).toContain(`route ${preview} restored`);
      expect(await viaProxy(nginx.port, prod)).toEqual({ status: 200, body: "v1" });
      expect(await viaProxy(nginx.port, preview)).toEqual({ status: 200, body: "v2" });
      expect((await projectContainers(app.project)).map((c) => c.Id).sort()).toEqual(containers);

      const again = await app.cli(["reconcile", "--routes"]);
      expect(again.stdout).toContain("every route in place, nothing to do");
    });

    it("a swap under load through it loses no request", async () => {
      let swap: Awaited<ReturnType<typeof deploy>> | undefined;
      const load = await loadDuring(nginx.port, prod, async () => {
        swap = await deploy(app, "production", "v2", "2222222");
      });
      expect(swap?.code).toBe(0);
      expect({
        statuses: Object.keys(load.statuses),
        bodies: Object.keys(load.bodies).sort(),
        errors: load.errors,
      }).toEqual({
        statuses: ["200"],
        bodies: ["v1", "v2"],
        errors: {},
      });
      expect(await viaProxy(nginx.port, prod)).toEqual({ status: 200, body: "v2" });
    });
  });
});
