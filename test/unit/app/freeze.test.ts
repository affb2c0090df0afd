// A freeze on a multi-host stage: every host of the stage is read before any is changed, and one
// frozen host refuses every workload on all of them. And what a freeze may say (bounded, dated).
import { afterEach, describe, expect, it } from "vitest";
import { noCredentials } from "../../../src/app/credentials.js";
import { execute } from "../../../src/app/execute.js";
import { freezeOf } from "../../../src/app/freeze.js";
import { environmentGrants } from "../../../src/app/grants.js";
import type { Session } from "../../../src/app/session.js";
import { configSchema } from "../../../src/config/schema.js";
import { inForce } from "../../../src/deploy/freeze.js";
import { TinyforgeError } from "../../../src/errors.js";
import { Store } from "../../../src/state/store.js";
import { FakeHost } from "../../fakes/host.js";

const V1 = "1".repeat(40);
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

function session() {
  const hosts = new Map<string, FakeHost>();
  for (const name of ["a", "b"]) {
    const h = new FakeHost({ name });
    made.push(h);
    hosts.set(`ssh://deploy@${name}`, h);
  }
  const config = configSchema.parse({
    project: "shop",
    hosts: ["ssh://deploy@a", "ssh://deploy@b"],
    proxy: { driver: "none" },
    stages: { production: { branch: "main" }, staging: { branch: "dev" } },
    workloads: { web, api: web },
  });
  const s: Session = {
    config,
    dir: "/nonexistent",
    file: "tinyforge.yml",
    credentials: noCredentials,
    grants: environmentGrants({}),
    lockTtlMs: 30_000,
    openHost: async (entry) => hosts.get(entry)!,
  };
  return { s, host: (n: string) => hosts.get(`ssh://deploy@${n}`)! };
}

const store = (h: FakeHost) => new Store(h.files, ".tinyforge", "shop");

describe("a frozen multi-host stage", () => {
  it("one frozen host refuses every workload on every host, before any container is made", async () => {
    const { s, host } = session();
    // Only host b carries the freeze (say a was replaced since): it still counts.
    await store(host("b")).writeFreeze({
      stage: "production",
      reason: "incident",
      by: "ops",
      at: "2026-01-01T00:00:00Z",
    });
    const err = await execute(s, { kind: "deploy", stage: { stage: "production" }, sha: V1 }).catch((e) => e);
    expect(err).toBeInstanceOf(TinyforgeError);
    expect(err).toMatchObject({
      code: "frozen",
      exitCode: 5,
      publicMessage: "frozen: incident (by ops, until unfrozen)",
    });
    for (const n of ["a", "b"]) {
      expect(host(n).docker.containers.size).toBe(0);
      expect(await store(host(n)).listDeployIds()).toEqual([]);
    }
    // Another stage is not frozen.
    const staging = await execute(s, { kind: "deploy", stage: { stage: "staging" }, sha: V1 });
    expect(staging.map((r) => r.outcome)).toEqual(["success", "success", "success", "success"]);
  });

  it("force deploys every workload and each record keeps the override", async () => {
    const { s, host } = session();
    await execute(s, { kind: "freeze", stage: "production", reason: "incident", by: "ops" });
    expect(await store(host("a")).readFreeze("production")).toMatchObject({ reason: "incident", by: "ops" });
    const results = await execute(s, {
      kind: "deploy",
      stage: { stage: "production" },
      sha: V1,
      force: true,
      actor: "alice@laptop",
    });
    expect(results.map((r) => [r.workload, r.outcome, r.forced?.by])).toEqual([
      ["web", "success", "alice@laptop"],
      ["web", "success", "alice@laptop"],
      ["api", "success", "alice@laptop"],
      ["api", "success", "alice@laptop"],
    ]);
    const rec = await store(host("a")).readDeploy(results[0]!.deployId);
    expect(rec?.forced).toMatchObject({ by: "alice@laptop", freeze: { reason: "incident" } });
    const removed = await execute(s, { kind: "unfreeze", stage: "production" });
    expect(removed.map((u) => u.freeze?.reason)).toEqual(["incident", "incident"]);
    expect(await store(host("b")).readFreeze("production")).toBeUndefined();
  });
});

describe("what a freeze may say", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  const op = (over: Record<string, unknown>) =>
    ({ kind: "freeze", stage: "production", reason: "x", by: "me", ...over }) as const;

  it("takes an ISO time with a zone, in the future, within a year", () => {
    expect(freezeOf(op({ until: "2026-12-24T18:00Z" }), now).until).toBe("2026-12-24T18:00:00.000Z");
    expect(freezeOf(op({ until: "2026-12-24T18:00:00+01:00" }), now).until).toBe("2026-12-24T17:00:00.000Z");
    for (const until of [
      "tomorrow",
      "2026-12-24",
      "2026-12-24T18:00",
      "2026-11-30T00:00Z",
      "2028-01-01T00:00Z",
    ])
      expect(() => freezeOf(op({ until }), now), until).toThrow(TinyforgeError);
  });

  it("needs a reason, bounded; the author is bounded too", () => {
    expect(() => freezeOf(op({ reason: "   " }), now)).toThrow(/needs a reason/);
    expect(() => freezeOf(op({ reason: "r".repeat(201) }), now)).toThrow(/longer than 200/);
    expect(freezeOf(op({ reason: " two\n lines " }), now).reason).toBe("two lines");
    expect(Array.from(freezeOf(op({ by: "b".repeat(500) }), now).by).length).toBeLessThanOrEqual(100);
  });

  it("an expired freeze no longer freezes", () => {
    const f = {
      stage: "production",
      reason: "x",
      by: "me",
      at: "2026-01-01T00:00:00Z",
      until: "2026-12-01T11:59:59.000Z",
    };
    expect(inForce(f, now)).toBeUndefined();
    const later = { ...f, until: "2026-12-01T12:00:01.000Z" };
    expect(inForce(later, now)).toBe(later);
    expect(inForce({ ...f, until: undefined }, now)).toBeDefined();
  });
});
