// `tinyforge plan`: what a deploy would do, read from the host — asserted field by field against
// the host itself, and asserted to touch nothing: no container, no image pulled or built, no state
// or lock file written, the proxy's routes as they were.
import { readdirSync, readFileSync, rmSync, statSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type App, docker, fastHealth, makeApp, projectContainers, removeProject, tb } from "./harness.js";
import { DOMAIN, ptb } from "./proxy-harness.js";

const apps: App[] = [];
afterAll(async () => {
  for (const a of apps) {
    await a.cli(["teardown", "web", "--stage", "production"]).catch(() => undefined);
    for (const t of ["pr-1", "pr-2"])
      await a.cli(["teardown", "web", "--stage", "preview", "--tag", t]).catch(() => undefined);
    await removeProject(a.project);
  }
});

/** Every file under the project's state directory, with its content: any write shows. */
function stateFiles(a: App): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = readFileSync(p, "utf8");
    }
  };
  walk(join(a.stateDir, a.project));
  return out;
}

/** The Caddy routes that name this project's hostnames, as JSON text. */
async function caddyRoutes(project: string): Promise<string> {
  const res = await fetch(`${ptb.caddy.admin}/config/apps/http/servers/${ptb.caddy.server}/routes`, {
    signal: AbortSignal.timeout(5000),
  });
  const routes = res.ok ? (((await res.json()) as unknown[] | null) ?? []) : [];
  return JSON.stringify(routes.filter((r) => JSON.stringify(r).includes(project)));
}

async function imageOnHost(ref: string): Promise<boolean> {
  return docker
    .getImage(ref)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

async function snapshot(a: App) {
  return {
    containers: (await projectContainers(a.project)).map((c) => `${c.Id} ${c.State}`).sort(),
    // The engine is shared: only the images a deploy of this project would pull or build.
    images: (await docker.listImages())
      .flatMap((i) => i.RepoTags ?? [])
      .filter((t) => t === "tinyforge/web:v2" || t.includes(a.project))
      .sort(),
    state: stateFiles(a),
    routes: await caddyRoutes(a.project),
  };
}

async function plan(a: App, args: string[]): Promise<Array<Record<string, unknown>>> {
  const r = await a.cli(["plan", ...args, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("tinyforge plan", () => {
  it("says what a deploy would do, field by field, and touches nothing on the host", async () => {
    const web = {
      source: "image",
      image: "tinyforge/web:{ref}",
      pull: "missing",
      port: tb.webPort,
      healthcheck: fastHealth,
      drain: "100ms",
      stop_timeout: "1s",
      env: { A: "1", KEEP: "k" },
    };
    const a = makeApp(
      { web },
      {
        proxy: { driver: "caddy", admin: ptb.caddy.admin, server: ptb.caddy.server },
        domain: DOMAIN,
        stages: { production: { branch: "main" }, preview: { pull_requests: true, max_instances: 2 } },
      },
    );
    apps.push(a);
    const sha1 = "1".repeat(40);
    const sha2 = "2".repeat(40);

    // Nothing deployed yet: nothing serves, nothing to compare env with, and nothing gets made.
    const empty = await snapshot(a);
    const [first] = await plan(a, ["web", "--stage", "production", "--sha", sha1, "--ref", "v1"]);
    const hostnames = (
      JSON.parse((await a.cli(["config", "web", "--stage", "production", "--json"])).stdout) as {
        routes: string[];
      }
    ).routes;
    expect(first).toEqual({
      host: expect.any(String),
      workload: "web",
      stage: "production",
      tag: null,
      sha: sha1,
      source: "image",
      image: "tinyforge/web:v1",
      imagePresent: await imageOnHost("tinyforge/web:v1"),
      imageAction: (await imageOnHost("tinyforge/web:v1")) ? "reuse" : "pull",
      strategy: "blue-green",
      serving: null,
      unchanged: false,
      routes: hostnames.map((hostname) => ({ hostname, driver: "caddy", port: tb.webPort, tls: false })),
      env: null,
      release: null,
      evicts: [],
      frozen: null,
      locked: null,
    });
    expect(await snapshot(a)).toEqual(empty);
    expect(await projectContainers(a.project)).toEqual([]);

    // What serves: production at sha1, two previews.
    for (const args of [
      ["--stage", "production"],
      ["--stage", "preview", "--tag", "pr-1"],
      ["--stage", "preview", "--tag", "pr-2"],
    ]) {
      const d = await a.cli(["deploy", "web", ...args, "--sha", sha1, "--ref", "v1"]);
      expect(d.code, d.stderr).toBe(0);
    }
    // The next commit changes env and adds a release step; the stage gets frozen and locked.
    a.write({
      ...a.config,
      workloads: {
        web: { ...web, env: { A: "2", KEEP: "k", B: "new" }, release: { command: ["bin/migrate"] } },
      },
    });
    expect((await a.cli(["freeze", "production", "--reason", "quiet please"])).code).toBe(0);
    const lockDir = join(a.stateDir, a.project, "locks", "web.production");
    mkdirSync(lockDir, { recursive: true });
    const lease = {
      owner: "ci@runner-7 pid 4242",
      deployId: "01JPLANLOCK00000000000000",
      acquiredAt: new Date().toISOString(),
      expiresAt: Date.now() + 60_000,
      ttlMs: 30_000,
      beat: 0,
    };
    writeFileSync(join(lockDir, "gen-1.json"), JSON.stringify(lease));
    const serving = JSON.parse(
      readFileSync(join(a.stateDir, a.project, "instances", "web.production.json"), "utf8"),
    ).active as { container: string };

    const before = await snapshot(a);
    const [next] = await plan(a, ["web", "--stage", "production", "--sha", sha2, "--ref", "v2"]);
    expect(next).toMatchObject({
      image: "tinyforge/web:v2",
      imagePresent: await imageOnHost("tinyforge/web:v2"),
      serving: { sha: sha1, container: serving.container },
      unchanged: false,
      // Names only: a new one, and the ones whose values differ from the serving container's.
      env: { added: ["B"], changed: ["A", "TINYFORGE_SHA"] },
      release: { command: ["bin/migrate"], timeoutMs: 600_000 },
      evicts: [],
      frozen: { stage: "production", reason: "quiet please" },
      locked: { owner: "ci@runner-7 pid 4242", deployId: lease.deployId },
    });
    expect(JSON.stringify(next)).not.toContain('"2"'); // no env value is shown
    // The SHA that serves: the deploy would change nothing.
    const [same] = await plan(a, ["web", "--stage", "production", "--sha", sha1, "--ref", "v1"]);
    expect(same).toMatchObject({ unchanged: true, env: { added: ["B"], changed: ["A"] } });
    // A third preview: max_instances 2 would evict the oldest.
    const [third] = await plan(a, [
      "web",
      "--stage",
      "preview",
      "--tag",
      "pr-3",
      "--sha",
      sha2,
      "--ref",
      "v2",
    ]);
    expect(third).toMatchObject({
      tag: "pr-3",
      serving: null,
      evicts: ["web.preview.pr-1"],
      frozen: null,
      locked: null,
    });

    // The text form says the same.
    const text = await a.cli(["plan", "web", "--stage", "production", "--sha", sha2, "--ref", "v2"]);
    expect(text.stdout).toContain("env:      +B ~A ~TINYFORGE_SHA");
    expect(text.stdout).toContain("frozen:   yes: quiet please");
    expect(text.stdout).toContain("locked:   yes: ci@runner-7 pid 4242");
    expect(text.stdout).toContain('release:  ["bin/migrate"], timeout 10m');

    // Nothing changed: containers, images, every state and lock file, the proxy's routes.
    expect(await snapshot(a)).toEqual(before);
    rmSync(lockDir, { recursive: true, force: true });
  });
});
