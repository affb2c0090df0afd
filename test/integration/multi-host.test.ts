// Two real hosts deployed as one release: the testbed's shared engine behind its sshd (as root),
// and its second engine behind its own sshd, logged into as its own user (its own home, so its own
// deploy state). A failing gate on one host or a failed swap leaves both on the old release; a
// deploy killed mid-rollout is brought to one release by `reconcile`.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type App,
  docker,
  fastHealth,
  get,
  makeApp,
  parseJsonLines,
  sshHost,
  spawnCli,
  tb,
} from "./harness.js";

interface Engine2 {
  host: string;
  sshUser: string;
  dockerSocket: string;
  knownHostsFile: string;
}
const e2 = engine2();

function engine2(): Engine2 {
  const e = (tb as unknown as { engine2?: Engine2 }).engine2;
  if (!e) throw new Error(".testbed/env.json has no engine2: run bash scripts/testbed.sh up");
  return e;
}
const docker2 = new Dockerode({ socketPath: e2.dockerSocket });
const engines = [docker, docker2];

// Both hosts' keys in one known_hosts, as an operator's would have them.
const khDir = mkdtempSync(join(tmpdir(), "tf-kh-"));
const knownHosts = join(khDir, "known_hosts");
writeFileSync(knownHosts, readFileSync(tb.knownHostsFile, "utf8") + readFileSync(e2.knownHostsFile, "utf8"));
const env = { TINYFORGE_KNOWN_HOSTS_FILE: knownHosts, TINYFORGE_LOCK_TTL_MS: "800" };

// Relative: under each SSH user's home, so each host keeps its own state.
const STATE = ".tinyforge-it";
const homes = ["/root", `/home/${e2.sshUser}`];

const apps: App[] = [];
afterAll(async () => {
  for (const app of apps) {
    for (const d of engines) {
      const mine = { label: [`dev.tinyforge.project=${app.project}`] };
      for (const c of await d.listContainers({ all: true, filters: mine }))
        await d
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      for (const tag of ["v1", "v2"])
        await d
          .getImage(`tinyforge/${app.project}:${tag}`)
          .remove({ force: true })
          .catch(() => undefined);
    }
    for (const home of homes) {
      rmSync(join(home, STATE, app.project), { recursive: true, force: true });
    }
  }
  rmSync(khDir, { recursive: true, force: true });
});

/** An app on both hosts; `v2On2` is what its v2 is on the second engine (unhealthy: a failing gate). */
async function twoHostApp(v2On2 = tb.images.webV2): Promise<App> {
  const app = makeApp(
    {
      web: {
        source: "image",
        // Tagged on each engine (below), never pulled: each host can run its own v2.
        image: "tinyforge/PROJECT:{ref}",
        pull: "missing",
        port: 8080,
        healthcheck: fastHealth,
        drain: "100ms",
        stop_timeout: "0s",
      },
    },
    { lock_timeout: "30s", state_dir: STATE },
  );
  apps.push(app);
  const web = app.config.workloads as { web: { image: string } };
  web.web.image = `tinyforge/${app.project}:{ref}`;
  app.write({ ...app.config, hosts: [sshHost, e2.host] });
  const tags: [Dockerode, string, string][] = [
    [docker, tb.images.webV1, "v1"],
    [docker, tb.images.webV2, "v2"],
    [docker2, tb.images.webV1, "v1"],
    [docker2, v2On2, "v2"],
  ];
  for (const [d, image, tag] of tags) await d.getImage(image).tag({ repo: `tinyforge/${app.project}`, tag });
  return app;
}

const SHA = { v1: "1111111", v2: "2222222" };
const deploy = (ref: "v1" | "v2") => [
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

async function statusRows(app: App) {
  const r = await app.cli(["status", "web", "--stage", "production", "--json"], env);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Array<{
    host: string;
    sha: string;
    url: string;
    state: string;
    split?: true;
  }>;
}

/** What each host serves, asked of the container at the state's URL. */
async function served(app: App): Promise<string[]> {
  const rows = await statusRows(app);
  expect(rows).toHaveLength(2);
  return Promise.all(rows.map(async (r) => (await get(r.url)).body));
}

const running = async (app: App) =>
  Promise.all(
    engines.map(async (d) =>
      (await d.listContainers({ filters: { label: [`dev.tinyforge.project=${app.project}`] } })).map(
        (c) => c.Image,
      ),
    ),
  );

describe("two hosts, one release", () => {
  let v1Body = "";
  beforeAll(async () => {
    const app = await twoHostApp();
    const r = await app.cli(deploy("v1"), env);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    v1Body = (await served(app))[0]!;
  });

  it("deploys both hosts under one deploy id, and status shows one row per host", async () => {
    const app = await twoHostApp();
    const r = await app.cli(deploy("v1"), env);
    expect(r.code, r.stderr).toBe(0);
    const results = parseJsonLines(r.stdout);
    expect(results.map((x) => x.outcome)).toEqual(["success", "success"]);
    expect(new Set(results.map((x) => x.deployId)).size).toBe(1);
    const rows = await statusRows(app);
    expect(new Set(rows.map((x) => x.host)).size).toBe(2);
    expect(rows.some((x) => x.split)).toBe(false);
    expect(await running(app)).toEqual([[`tinyforge/${app.project}:v1`], [`tinyforge/${app.project}:v1`]]);
  });

  it("a failing gate on one host leaves both hosts on the old release, every green removed", async () => {
    const app = await twoHostApp(tb.images.webUnhealthy);
    expect((await app.cli(deploy("v1"), env)).code).toBe(0);
    const before = await statusRows(app);
    const r = await app.cli(deploy("v2"), env);
    expect(r.code).toBe(1);
    expect(parseJsonLines(r.stdout).map((x) => x.outcome)).toEqual(["failed", "failed"]);
    expect((await statusRows(app)).map((x) => [x.sha, x.url])).toEqual(before.map((x) => [x.sha, x.url]));
    expect(await served(app)).toEqual([v1Body, v1Body]);
    expect(await running(app)).toEqual([[`tinyforge/${app.project}:v1`], [`tinyforge/${app.project}:v1`]]);
  });

  it("a swap that fails on one host puts the other back on the old release", async () => {
    const app = await twoHostApp();
    expect((await app.cli(deploy("v1"), env)).code).toBe(0);
    // The second host cannot record its swap: its user may no longer write its instance state.
    const instances = join(homes[1]!, STATE, app.project, "instances");
    chmodSync(instances, 0o555);
    try {
      const r = await app.cli(deploy("v2"), env);
      expect(r.code).toBe(1);
      const [first, second] = parseJsonLines(r.stdout) as Array<{ steps: { name: string; ok: boolean }[] }>;
      expect(second!.steps).toContainEqual(expect.objectContaining({ name: "persist", ok: false }));
      expect(first!.steps).toContainEqual(expect.objectContaining({ name: "swap-back", ok: true }));
    } finally {
      chmodSync(instances, 0o755);
    }
    expect((await statusRows(app)).map((x) => x.sha)).toEqual([SHA.v1, SHA.v1]);
    expect(await served(app)).toEqual([v1Body, v1Body]);
    expect(await running(app)).toEqual([[`tinyforge/${app.project}:v1`], [`tinyforge/${app.project}:v1`]]);
  });

  it("a deploy killed mid-rollout, then reconcile: every host serves one release", async () => {
    const app = await twoHostApp();
    expect((await app.cli(deploy("v1"), env)).code).toBe(0);
    // Killed as the first host records its swap: the other may or may not have recorded its own.
    const killed = await spawnCli(app, deploy("v2"), { ...env, TINYFORGE_FAULT_KILL_AFTER: "persist" }).done;
    expect(killed.signal).toBe("SIGKILL");
    const rec = await app.cli(["reconcile"], env);
    expect(rec.code, rec.stderr).toBe(0);
    const rows = await statusRows(app);
    expect(rows.some((x) => x.split)).toBe(false);
    expect(new Set(rows.map((x) => x.sha)).size).toBe(1);
    const bodies = await served(app);
    expect(bodies[0]).toBe(bodies[1]);
    expect(rows.every((x) => x.state === "running")).toBe(true);
  });
});
