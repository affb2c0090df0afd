// Several hosts are one release: one deploy id, every green gated before any route moves, a swap
// that fails on one host sends the others back, one outcome for the reporters, and a stage's own
// hosts in place of the top-level ones for every operation.
import { afterEach, describe, expect, it } from "vitest";
import { noCredentials } from "../../../src/app/credentials.js";
import { execute } from "../../../src/app/execute.js";
import { environmentGrants } from "../../../src/app/grants.js";
import type { Session } from "../../../src/app/session.js";
import { type ConfigInput, configSchema } from "../../../src/config/schema.js";
import type { DeployHooks } from "../../../src/deploy/hooks.js";
import { Store } from "../../../src/state/store.js";
import { FakeHost } from "../../fakes/host.js";

const V1 = "1111111111111111111111111111111111111111";
const V2 = "2222222222222222222222222222222222222222";
const made: FakeHost[] = [];
afterEach(() => {
  for (const h of made.splice(0)) h.dispose();
});

const web = {
  source: "image",
  image: "registry.example.com/shop/web:{sha}",
  port: 8080,
  drain: "0s",
  stop_timeout: "0s",
  healthcheck: { path: "/healthz", interval: "100ms", retries: 2 },
} as const;

function session(top: Partial<ConfigInput> = {}) {
  const opened: string[] = [];
  const hosts = new Map<string, FakeHost>();
  for (const name of ["a", "b", "c"]) {
    const h = new FakeHost({ name });
    made.push(h);
    hosts.set(`ssh://deploy@${name}`, h);
  }
  const config = configSchema.parse({
    project: "shop",
    hosts: ["ssh://deploy@c"],
    proxy: { driver: "none" },
    stages: { production: { branch: "main", hosts: ["ssh://deploy@a", "ssh://deploy@b"] } },
    workloads: { web },
    ...top,
  });
  const s: Session = {
    config,
    dir: "/nonexistent",
    file: "tinyforge.yml",
    credentials: noCredentials,
    grants: environmentGrants({}),
    lockTtlMs: 30_000,
    openHost: async (entry) => {
      opened.push(entry);
      return hosts.get(entry)!;
    },
  };
  const host = (name: string) => hosts.get(`ssh://deploy@${name}`)!;
  return { s, opened, host };
}

const deployOp = (sha: string) => ({ kind: "deploy", stage: { stage: "production" }, sha }) as const;

async function active(h: FakeHost) {
  return (await new Store(h.files, ".tinyforge", "shop").readInstance("web.production"))?.active;
}

const running = (h: FakeHost) =>
  [...h.docker.containers.values()].filter((c) => c.status === "running").map((c) => c.spec.image);

describe("a stage's own hosts", () => {
  it("stages.S.hosts replaces hosts for deploy, status, history, teardown and unlock", async () => {
    const { s, opened } = session();
    await execute(s, deployOp(V1));
    await execute(s, { kind: "status", stage: "production" });
    await execute(s, { kind: "history", workload: "web", stage: "production", limit: 5 });
    await execute(s, { kind: "unlock", workload: "web", stage: "production" });
    await execute(s, { kind: "teardown", stage: { stage: "production" } });
    expect(new Set(opened)).toEqual(new Set(["ssh://deploy@a", "ssh://deploy@b"]));
  });

  it("reconcile and logs reach every host any stage names", async () => {
    const { s, opened } = session();
    await execute(s, { kind: "reconcile" });
    expect([...new Set(opened)].sort()).toEqual(["ssh://deploy@a", "ssh://deploy@b", "ssh://deploy@c"]);
  });
});

describe("several hosts, one release", () => {
  it("one deploy id across the hosts, and every host serves the new release", async () => {
    const { s, host } = session();
    const results = await execute(s, deployOp(V1));
    expect(results.map((r) => [r.host, r.outcome])).toEqual([
      ["a", "success"],
      ["b", "success"],
    ]);
    expect(new Set(results.map((r) => r.deployId)).size).toBe(1);
    expect((await active(host("a")))?.deployId).toBe(results[0]!.deployId);
    expect((await active(host("b")))?.deployId).toBe(results[0]!.deployId);
  });

  it("logs of the deploy id show every host's events", async () => {
    const { s } = session();
    const [r] = await execute(s, deployOp(V1));
    const msgs: string[] = [];
    await execute(s, { kind: "logs", deployId: r!.deployId }, { onEvent: (e) => msgs.push(e.msg) });
    expect(msgs.filter((m) => / on [ab], blue-green$/.test(m)).length).toBe(2);
  });

  it("no route moves until every host's green passed its gate, even one host at a time", async () => {
    const { s, host } = session({ rollout: { parallel: 1 } });
    const timeline: string[] = [];
    for (const n of ["a", "b"]) {
      host(n).docker.beforeCall = (call) => {
        if (/^(create|remove)/.test(call)) timeline.push(`${n} ${call.split(" ")[0]}`);
      };
    }
    await execute(s, deployOp(V1));
    timeline.length = 0;
    const results = await execute(s, deployOp(V2));
    expect(results.every((r) => r.outcome === "success")).toBe(true);
    // Both greens are created before either blue is removed.
    const firstRemove = timeline.findIndex((t) => t.endsWith("remove"));
    expect(timeline.slice(0, firstRemove).sort()).toEqual(["a create", "b create"]);
    const steps = results[0]!.steps.map((x) => x.name);
    expect(steps.indexOf("hosts-gated")).toBeLessThan(steps.indexOf("persist"));
  });

  it("a gate that fails on one host: every green is removed and every host serves the old release", async () => {
    const { s, host } = session();
    const first = await execute(s, deployOp(V1));
    host("b").docker.behaviour = (image) => (image.endsWith(V2) ? "unhealthy" : "healthy");
    const results = await execute(s, deployOp(V2));
    expect(results.map((r) => [r.host, r.outcome])).toEqual([
      ["a", "failed"],
      ["b", "failed"],
    ]);
    expect(results[0]!.error?.message).toMatch(/^b: /);
    for (const n of ["a", "b"]) {
      expect((await active(host(n)))?.deployId).toBe(first[0]!.deployId);
      expect(running(host(n))).toEqual([`registry.example.com/shop/web:${V1}`]);
    }
  });

  it("a swap that fails on one host puts the hosts that swapped back on the old release", async () => {
    const { s, host } = session();
    const first = await execute(s, deployOp(V1));
    host("b").files.failWrite = (path) =>
      path.includes("/instances/") ? new Error("write failed: no space left on device") : undefined;
    const results = await execute(s, deployOp(V2));
    expect(results.map((r) => r.outcome)).toEqual(["failed", "failed"]);
    expect(results[0]!.steps.map((x) => [x.name, x.ok])).toContainEqual(["swap-back", true]);
    host("b").files.failWrite = undefined;
    for (const n of ["a", "b"]) {
      expect((await active(host(n)))?.deployId).toBe(first[0]!.deployId);
      expect(running(host(n))).toEqual([`registry.example.com/shop/web:${V1}`]);
    }
  });

  it("rolling batches: each batch swaps before the next starts, a failed batch ends the rollout", async () => {
    const { s, host } = session({
      rollout: { batch: 1 },
      stages: {
        production: { branch: "main", hosts: ["ssh://deploy@a", "ssh://deploy@b", "ssh://deploy@c"] },
      },
    });
    await execute(s, deployOp(V1));
    host("b").docker.behaviour = (image) => (image.endsWith(V2) ? "unhealthy" : "healthy");
    const results = await execute(s, deployOp(V2));
    expect(results.map((r) => [r.host, r.outcome])).toEqual([
      ["a", "success"],
      ["b", "failed"],
    ]);
    expect((await active(host("a")))?.sha).toBe(V2);
    expect((await active(host("b")))?.sha).toBe(V1);
    expect((await active(host("c")))?.sha).toBe(V1);
  });

  it("the reporters hear one start and one outcome for the whole rollout, the worst host's", async () => {
    const { s, host } = session();
    await execute(s, deployOp(V1));
    const heard: string[] = [];
    const hook: DeployHooks = {
      name: "spy",
      started: async (info) => {
        heard.push(`started ${info.host}`);
      },
      finished: async (info, r) => {
        heard.push(`${r.outcome} ${info.host}`);
      },
    };
    host("a").docker.behaviour = (image) => (image.endsWith(V2) ? "unhealthy" : "healthy");
    await execute(s, deployOp(V2), { hooks: [hook] });
    expect(heard).toEqual(["started a, b", "failed a, b"]);
  });
});

describe("hosts that disagree", () => {
  /** V1 on both hosts, then a rollout of V2 that swapped host a and died before it finished. */
  async function halfDone() {
    const t = session();
    const first = await execute(t.s, deployOp(V1));
    const both = t.s.config;
    t.s.config = {
      ...both,
      stages: { production: { ...both.stages.production!, hosts: ["ssh://deploy@a"] } },
    };
    const [half] = await execute(t.s, deployOp(V2));
    t.s.config = both;
    const store = new Store(t.host("a").files, ".tinyforge", "shop");
    const rec = (await store.readDeploy(half!.deployId))!;
    await store.writeDeploy({ ...rec, outcome: "interrupted" });
    return { ...t, first: first[0]! };
  }

  it("status marks an instance whose hosts serve different releases", async () => {
    const { s } = await halfDone();
    const { rows } = await execute(s, { kind: "status", stage: "production" });
    expect(rows.map((r) => [r.host, r.sha, r.split])).toEqual([
      ["a", V2, true],
      ["b", V1, true],
    ]);
  });

  it("reconcile rolls the hosts of an unfinished rollout back to the release the others serve", async () => {
    const { s, host, first } = await halfDone();
    const out = await execute(s, { kind: "reconcile" });
    expect(out.at(-1)?.lines.join("\n")).toMatch(/^a: web in production back to \S+ \(111111111111\)/);
    for (const n of ["a", "b"]) expect((await active(host(n)))?.sha).toBe(V1);
    expect((await active(host("a")))?.origin).toBe(first.deployId);
    const { rows } = await execute(s, { kind: "status", stage: "production" });
    expect(rows.some((r) => r.split)).toBe(false);
  });
});
