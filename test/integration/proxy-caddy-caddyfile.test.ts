// Caddy as users run it: started from the README's Caddyfile (like Debian's caddy.service), its
// own process here so the test may reload and restart it, reached through the testbed's sshd.
// A reload or restart drops the routes tinyforge added through the admin API: each deploy says so
// once, `reconcile --routes` puts them all back, and a deploy puts back routes it finds lost.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, makeApp, parseJsonLines, projectContainers, removeProject } from "./harness.js";
import { loadDuring, type OwnCaddy, ownCaddy } from "./own-proxies.js";
import { viaProxy, webWorkload } from "./proxy-harness.js";

const DOMAIN = "tinyforge.test";
let caddy: OwnCaddy;
let app: App;
let prod = "";
let preview = "";

beforeAll(async () => {
  caddy = await ownCaddy();
  await caddy.start();
  app = makeApp(
    { web: webWorkload() },
    {
      proxy: { driver: "caddy", admin: caddy.admin, server: "srv0", caddyfile: caddy.caddyfile },
      domain: DOMAIN,
    },
  );
});
afterAll(async () => {
  await caddy?.stop();
  if (app) await removeProject(app.project);
});

async function deploy(stage: string, ref: string, sha: string, tag?: string) {
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

/** The deploy's warn events of one step (routes unless said), from the state on the host. */
function routeWarnings(deployId: unknown, step = "routes"): string[] {
  const text = readFileSync(join(app.stateDir, app.project, "events", `${deployId}.jsonl`), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; step: string; msg: string })
    .filter((e) => e.step === step && e.level === "warn")
    .map((e) => e.msg);
}

async function answers(hostname: string): Promise<string> {
  return (await viaProxy(caddy.port, hostname)).body;
}

describe("caddy started from a Caddyfile", () => {
  it("the first deploy says once that a reload drops the routes, and how to keep them", async () => {
    const p = await deploy("production", "v1", "1111111");
    const v = await deploy("preview", "v2", "2222222", "pr-123");
    expect([p.code, v.code]).toEqual([0, 0]);
    prod = p.hostname;
    preview = v.hostname;
    expect(routeWarnings(p.result.deployId)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^caddy runs the config of ${caddy.caddyfile}, .*a reload .* drops them .*tinyforge reconcile --routes`,
        ),
      ),
    ]);
    expect(routeWarnings(v.result.deployId)).toEqual([]);
    // The host hands a reload's queued connections to caddy's new socket (README: Caddy's reloads
    // and tcp_migrate_req), read over SFTP from /proc: nothing to say about the proxy.
    expect(routeWarnings(p.result.deployId, "proxy")).toEqual([]);
    expect(await answers(prod)).toBe("v1");
    expect(await answers(preview)).toBe("v2");
    // The operator's own site in the Caddyfile is untouched.
    expect(await viaProxy(caddy.port, "status.tf.test")).toEqual({ status: 200, body: "ok" });
  });

  it("after a reload every instance answers again once reconcile --routes ran, no container touched", async () => {
    caddy.reload();
    expect(await answers(prod)).not.toBe("v1");
    expect(await answers(preview)).not.toBe("v2");

    const containers = (await projectContainers(app.project)).map((c) => c.Id).sort();
    const r = await app.cli(["reconcile", "--routes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`route ${prod} restored`);
    expect(r.stdout).toContain(`route ${preview} restored`);
    expect(await answers(prod)).toBe("v1");
    expect(await answers(preview)).toBe("v2");
    expect((await projectContainers(app.project)).map((c) => c.Id).sort()).toEqual(containers);
  });

  it("after a restart, the next deploy of one instance puts back the route another one lost", async () => {
    await caddy.stop();
    await caddy.start();
    expect(await answers(prod)).not.toBe("v1");
    const v = await deploy("preview", "v1", "1111111", "pr-123");
    expect(v.code).toBe(0);
    expect(routeWarnings(v.result.deployId)).toEqual([expect.stringContaining(`route ${prod} restored`)]);
    expect(await answers(prod)).toBe("v1");
    expect(await answers(preview)).toBe("v1");
  });

  it("a swap under load through it loses no request", async () => {
    let swap: Awaited<ReturnType<typeof deploy>> | undefined;
    const load = await loadDuring(caddy.port, prod, async () => {
      swap = await deploy("production", "v2", "2222222");
    });
    expect(swap?.code).toBe(0);
    expect({
      statuses: Object.keys(load.statuses),
      bodies: Object.keys(load.bodies).sort(),
      errors: load.errors,
    }).toEqual({ statuses: ["200"], bodies: ["v1", "v2"], errors: {} });
    expect(await answers(prod)).toBe("v2");
  });
});
