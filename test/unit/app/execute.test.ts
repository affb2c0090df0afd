// One execute() for every entry point: names are checked before any host is opened, each workload
// in turn goes to every host (one release across them, rollout.test.ts), and the first failed
// workload stops the rest.
import { afterEach, describe, expect, it } from "vitest";
import { noCredentials } from "../../../src/app/credentials.js";
import { execute } from "../../../src/app/execute.js";
import { environmentGrants } from "../../../src/app/grants.js";
import type { Session } from "../../../src/app/session.js";
import { type ConfigInput, configSchema } from "../../../src/config/schema.js";
import { FakeHost } from "../../fakes/host.js";

const V1 = "1111111111111111111111111111111111111111";
const made: FakeHost[] = [];
afterEach(() => {
  for (const h of made.splice(0)) h.dispose();
});

const web = {
  source: "image",
  image: "registry.example.com/shop/web:{sha}",
  port: 8080,
  healthcheck: { path: "/healthz", interval: "1s" },
} as const;

function session(top: Partial<ConfigInput> = {}, vars: Record<string, string> = {}) {
  const opened: string[] = [];
  const hosts = new Map<string, FakeHost>();
  const config = configSchema.parse({
    project: "shop",
    hosts: ["ssh://deploy@a", "ssh://deploy@b"],
    proxy: { driver: "none" },
    stages: { production: { branch: "main" }, preview: { pull_requests: true } },
    workloads: { web, api: { ...web, image: "registry.example.com/shop/api:{sha}" } },
    ...top,
  });
  const s: Session = {
    config,
    dir: "/nonexistent",
    file: "tinyforge.yml",
    credentials: noCredentials,
    grants: environmentGrants(vars),
    lockTtlMs: 30_000,
    openHost: async (entry) => {
      opened.push(entry);
      const h = hosts.get(entry) ?? new FakeHost({ name: entry.slice("ssh://deploy@".length) });
      if (!hosts.has(entry)) made.push(h);
      hosts.set(entry, h);
      return h;
    },
  };
  return { s, opened, hosts };
}

describe("execute: names first, nothing opened", () => {
  it.each([
    ["deploy", { kind: "deploy", stage: { stage: "constructor" }, sha: V1 }],
    ["rollback", { kind: "rollback", stage: { stage: "constructor" }, workload: "web" }],
    ["teardown", { kind: "teardown", stage: { stage: "constructor" } }],
    ["status", { kind: "status", stage: "constructor" }],
    ["history", { kind: "history", workload: "web", stage: "constructor", limit: 5 }],
    ["unlock", { kind: "unlock", workload: "web", stage: "constructor" }],
    ["config", { kind: "config", workload: "web", stage: { stage: "constructor" } }],
    ["app-logs", { kind: "app-logs", workload: "web", stage: { stage: "constructor" } }],
    ["exec", { kind: "exec", workload: "web", stage: { stage: "constructor" }, argv: ["true"] }],
    ["accessory", { kind: "accessory", action: "up", name: "db", stage: { stage: "constructor" } }],
  ] as const)("%s to an unknown stage is a usage error and opens no host", async (_, op) => {
    const { s, opened } = session({ accessories: { db: { image: "postgres:16" } } });
    await expect(execute(s, op)).rejects.toMatchObject({
      code: "usage",
      message: 'no stage "constructor" in the config (have: production, preview)',
    });
    expect(opened).toEqual([]);
  });

  it.each([
    ["deploy", { kind: "deploy", stage: { stage: "production" }, workload: "toString", sha: V1 }],
    ["status", { kind: "status", workload: "toString" }],
    ["history", { kind: "history", workload: "toString", limit: 5 }],
    ["config", { kind: "config", workload: "toString", stage: { stage: "production" } }],
    ["app-logs", { kind: "app-logs", workload: "toString", stage: { stage: "production" } }],
    ["exec", { kind: "exec", workload: "toString", stage: { stage: "production" }, argv: ["true"] }],
  ] as const)("%s of an unknown workload is a usage error and opens no host", async (_, op) => {
    const { s, opened } = session();
    await expect(execute(s, op)).rejects.toMatchObject({
      code: "usage",
      message: 'no workload "toString" in the config (have: web, api)',
    });
    expect(opened).toEqual([]);
  });

  it("a secret the grants do not give is a usage error before any host is opened", async () => {
    const { s, opened } = session({ workloads: { web: { ...web, secrets: ["DATABASE_URL"] } } });
    await expect(execute(s, { kind: "deploy", stage: { branch: "main" }, sha: V1 })).rejects.toMatchObject({
      code: "usage",
      message: "workloads.web.secrets: not set in the environment: DATABASE_URL",
    });
    expect(opened).toEqual([]);
  });
});

describe("execute: what runs now, and accessories", () => {
  it("an unknown accessory is named with the ones the config has, and no host is opened", async () => {
    const { s, opened } = session({ accessories: { db: { image: "postgres:16" } } });
    const op = { kind: "accessory", action: "up", name: "cache", stage: { stage: "production" } } as const;
    await expect(execute(s, op)).rejects.toMatchObject({
      code: "usage",
      message: 'no accessory "cache" in the config (have: db)',
    });
    expect(opened).toEqual([]);
  });

  it("accessories run only where the grants give their secrets (not the bot's), and up needs them all", async () => {
    const top = { accessories: { db: { image: "postgres:16", secrets: ["POSTGRES_PASSWORD"] } } };
    const op = { kind: "accessory", action: "up", name: "db", stage: { stage: "production" } } as const;
    const bot = session(top);
    bot.s.grants = { problems: () => [], secrets: bot.s.grants.secrets };
    await expect(execute(bot.s, op)).rejects.toMatchObject({ code: "usage", message: /run by a person/ });
    const { s, opened } = session(top);
    await expect(execute(s, op)).rejects.toMatchObject({
      code: "usage",
      message: "accessories.db.secrets: not set in the environment: POSTGRES_PASSWORD",
    });
    expect([...bot.opened, ...opened]).toEqual([]);
  });

  it("following logs or exec is refused with several hosts, before any is opened", async () => {
    const { s, opened } = session();
    const stage = { stage: "production" };
    await expect(
      execute(s, { kind: "app-logs", workload: "web", stage, follow: true }),
    ).rejects.toMatchObject({ code: "usage", message: /logs --follow acts on one host/ });
    await expect(execute(s, { kind: "exec", workload: "web", stage, argv: ["true"] })).rejects.toMatchObject({
      code: "usage",
      message: /exec acts on one host/,
    });
    expect(opened).toEqual([]);
  });
});

describe("execute: workloads × hosts", () => {
  it("deploys each workload in turn, in the config's order, to every host of the stage found", async () => {
    const { s, opened } = session();
    const started: string[] = [];
    const results = await execute(
      s,
      { kind: "deploy", stage: { branch: "main" }, sha: V1, trigger: "push" },
      { onStart: (at) => started.push(`${at.workload} → ${at.stage} on ${at.host}`) },
    );
    expect(new Set(opened)).toEqual(new Set(["ssh://deploy@a", "ssh://deploy@b"]));
    expect(started.sort()).toEqual([
      "api → production on a",
      "api → production on b",
      "web → production on a",
      "web → production on b",
    ]);
    expect(results.map((r) => [r.workload, r.host, r.outcome])).toEqual([
      ["web", "a", "success"],
      ["web", "b", "success"],
      ["api", "a", "success"],
      ["api", "b", "success"],
    ]);
  });

  it("the first failed workload stops the rest: no host changes, the next workload is not touched", async () => {
    const { s, hosts } = session();
    const a = new FakeHost({ name: "a" });
    made.push(a);
    hosts.set("ssh://deploy@a", a);
    a.docker.failOn = { pull: (ref: string) => ref.includes("/web:") };
    const results = await execute(s, { kind: "deploy", stage: { stage: "production" }, sha: V1 });
    expect(results.map((r) => [r.host, r.workload, r.outcome])).toEqual([
      ["a", "web", "failed"],
      ["b", "web", "failed"],
    ]);
    expect(results[1]!.error?.message).toMatch(/^a: pulling/);
    expect([...hosts.get("ssh://deploy@b")!.docker.containers.values()]).toEqual([]);
  });

  it("teardown removes the instance on every host and says what it removed", async () => {
    const { s } = session();
    await execute(s, { kind: "deploy", stage: { preview: true }, workload: "web", sha: V1, tag: "pr-7" });
    const removed = await execute(s, {
      kind: "teardown",
      stage: { preview: true },
      workload: "web",
      tag: "pr-7",
    });
    expect(removed.map((r) => [r.host, r.key, r.lines.length > 0])).toEqual([
      ["a", "web.preview.pr-7", true],
      ["b", "web.preview.pr-7", true],
    ]);
    expect((await execute(s, { kind: "status", stage: "preview" })).rows).toEqual([]);
  });
});
