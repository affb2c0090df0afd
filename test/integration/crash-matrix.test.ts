import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type App,
  fastHealth,
  get,
  makeApp,
  projectContainers,
  readState,
  removeProject,
  tb,
  spawnCli,
} from "./harness.js";
import { DOMAIN, ptb, viaProxy } from "./proxy-harness.js";

const _root = join(import.meta.dirname, "..", "..");
const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

// A killed holder's lease goes stale after this long; reconcile waits for it, then proceeds.
const ttl = { TINYFORGE_LOCK_TTL_MS: "800" };

function killedDeploy(app: App, step: string, args: string[]) {
  return spawnCli(app, args, { ...ttl, TINYFORGE_FAULT_KILL_AFTER: step }).done;
}

const steps = [
  ...["create", "start", "gate", "route", "persist", "reap"].map((step) => ({
    strategy: "blue-green",
    step,
  })),
  ...["stop-old", "create", "start", "gate", "route", "persist", "reap"].map((step) => ({
    strategy: "recreate",
    step,
  })),
];
// Without a proxy the state's URL is the way in; behind real Caddy the route itself must serve.
const matrix = ["none", "caddy"].flatMap((proxy) => steps.map((s) => ({ ...s, proxy })));

describe.each(matrix)("$strategy behind $proxy killed after $step", ({ strategy, step, proxy }) => {
  it("reconciles to a live v1 or v2, and the next deploy succeeds", async () => {
    const app = makeApp(
      {
        web: {
          source: "image",
          image: `${tb.registry}/tinyforge/web:{ref}`,
          port: 8080,
          deploy_strategy: strategy,
          healthcheck: fastHealth,
          drain: "100ms",
          stop_timeout: "1s",
        },
      },
      {
        lock_timeout: "30s",
        ...(proxy === "caddy"
          ? { proxy: { driver: "caddy", admin: ptb.caddy.admin, server: ptb.caddy.server }, domain: DOMAIN }
          : {}),
      },
    );
    apps.push(app.project);
    const serves = async (url: string) =>
      proxy === "caddy"
        ? (await viaProxy(ptb.caddy.port, `stage-production-${app.project}.${DOMAIN}`)).body
        : (await get(url)).body;
    const deploy = (sha: string, ref: string) => [
      "deploy",
      "web",
      "--stage",
      "production",
      "--sha",
      sha,
      "--ref",
      ref,
    ];
    expect((await app.cli(deploy("1111111", "v1"), ttl)).code).toBe(0);

    const killed = await killedDeploy(app, step, deploy("2222222", "v2"));
    expect(killed.signal, `${killed.code}: ${killed.stderr}`).toBe("SIGKILL");

    const rec = await app.cli(["reconcile"], ttl);
    expect(rec.code).toBe(0);
    // History tells the truth: the killed deploy is interrupted, in the step it reached.
    const deploys = join(app.stateDir, app.project, "deploys");
    const records = readdirSync(deploys).map((f) => JSON.parse(readFileSync(join(deploys, f), "utf8")));
    const killedRecord = records.find((r) => r.sha === "2222222");
    expect(killedRecord).toMatchObject({ outcome: "interrupted" });
    // A step's start reaches the host while the step runs; a step quicker than that write (a route
    // upsert, or none at all with no proxy) can be killed first, and the record names the step before.
    const order = steps.filter((s) => s.strategy === strategy).map((s) => s.step);
    const reached = order.slice(Math.max(0, order.indexOf(step) - 1), order.indexOf(step) + 1);
    expect(reached).toContain(killedRecord.step);
    expect(rec.stdout).toContain("recorded as interrupted");

    const state = readState(app, "web.production")?.active as
      | { sha: string; container: string; url: string }
      | undefined;
    expect(state).toBeDefined();
    const containers = await projectContainers(app.project);
    // No orphan: exactly the container the state names, and it runs.
    expect(containers.map((c) => [c.Names[0]?.slice(1), c.State])).toEqual([[state!.container, "running"]]);
    // It serves what the state says it serves.
    expect(await serves(state!.url)).toBe(state!.sha === "2222222" ? "v2" : "v1");
    const st = JSON.parse((await app.cli(["status", "--json"], ttl)).stdout);
    expect(st[0]).toMatchObject({ sha: state!.sha, state: "running", container: state!.container });

    // The lock did not stay stuck, and the host is fit for the next deploy.
    const next = await app.cli(deploy("3333333", "v1"), ttl);
    expect(next.code).toBe(0);
    const after = await projectContainers(app.project);
    expect(after).toHaveLength(1);
    expect(await serves(readState(app, "web.production")!.active!.url)).toBe("v1");
    // Leave the shared testbed's Caddy as it was: teardown removes the route with the containers.
    expect((await app.cli(["teardown", "web", "--stage", "production"], ttl)).code).toBe(0);
  });
});
