// Two deploys of one workload+stage never interleave; a lock left by a killed deploy expires.
import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type App, fastHealth, makeApp, parseJsonLines, removeProject, spawnCli, tb } from "./harness.js";

const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

const _root = join(import.meta.dirname, "..", "..");

function events(app: App, deployId: string): Array<{ ts: string; step: string; msg: string }> {
  return readFileSync(join(app.stateDir, app.project, "events", `${deployId}.jsonl`), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

function slowApp(lockTimeout: string): App {
  // drain makes each deploy hold the lock for a while, so the two surely overlap.
  const a = makeApp(
    {
      web: {
        source: "image",
        image: `${tb.registry}/tinyforge/web:{ref}`,
        port: 8080,
        healthcheck: fastHealth,
        drain: "1500ms",
        stop_timeout: "1s",
      },
    },
    { lock_timeout: lockTimeout },
  );
  apps.push(a.project);
  return a;
}

describe("deploy lock", () => {
  it("serializes two concurrent deploys: the second waits, then runs after the first", async () => {
    const a = slowApp("60s");
    expect(
      (await a.cli(["deploy", "web", "--stage", "production", "--sha", "1111111", "--ref", "v1"])).code,
    ).toBe(0);
    const one = spawnCli(a, [
      "deploy",
      "web",
      "--stage",
      "production",
      "--sha",
      "2222222",
      "--ref",
      "v2",
      "--json",
    ]);
    const two = spawnCli(a, [
      "deploy",
      "web",
      "--stage",
      "production",
      "--sha",
      "3333333",
      "--ref",
      "v1",
      "--json",
    ]);
    const [r1, r2] = await Promise.all([one.done, two.done]);
    expect([r1.code, r2.code]).toEqual([0, 0]);
    const [d1, d2] = [parseJsonLines(r1.stdout)[0]!, parseJsonLines(r2.stdout)[0]!];
    const [first, second] = (d1.deployId as string) < (d2.deployId as string) ? [d1, d2] : [d2, d1];
    const firstEnd = events(a, first.deployId as string).at(-1)!.ts;
    const secondLock = events(a, second.deployId as string).find(
      (e) => e.step === "lock" && e.msg.startsWith("ok"),
    )!.ts;
    // Never interleaved: the second got the lock only after the first wrote its last event.
    expect(secondLock >= firstEnd).toBe(true);
    expect(second.previous).toBe(first.container);
  });

  it("exits 3 naming the holder when the wait is over", async () => {
    const a = slowApp("300ms");
    expect(
      (await a.cli(["deploy", "web", "--stage", "production", "--sha", "1111111", "--ref", "v1"])).code,
    ).toBe(0);
    const one = spawnCli(a, ["deploy", "web", "--stage", "production", "--sha", "2222222", "--ref", "v2"]);
    const lockDir = join(a.stateDir, a.project, "locks", "web.production");
    await until(() => existsSync(lockDir) && readdirSync(lockDir).some((n) => n.startsWith("gen-")), 15_000);
    const r = await a.cli(["deploy", "web", "--stage", "production", "--sha", "3333333", "--ref", "v1"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/another deploy holds the lock: .* pid \d+, deploy [0-9A-Z]{26}/);
    expect((await one.done).code).toBe(0);
  });

  it("a lock left by a SIGKILLed deploy expires by itself", async () => {
    const a = makeApp(
      {
        web: {
          source: "image",
          image: "tinyforge/web:{ref}",
          pull: "missing",
          port: 8080,
          // A gate that takes long: the deploy is killed while it holds the lock.
          healthcheck: { path: "/healthz", retries: 100, interval: "500ms", timeout: "1s" },
          stop_timeout: "1s",
        },
      },
      { lock_timeout: "30s" },
    );
    apps.push(a.project);
    const ttl = { TINYFORGE_LOCK_TTL_MS: "1500" };
    const victim: { child: ChildProcess; done: Promise<unknown> } = spawnCli(
      a,
      ["deploy", "web", "--stage", "production", "--sha", "1111111", "--ref", "unhealthy"],
      ttl,
    );
    const lockDir = join(a.stateDir, a.project, "locks", "web.production");
    await until(() => existsSync(lockDir) && readdirSync(lockDir).some((n) => n.startsWith("gen-")), 15_000);
    victim.child.kill("SIGKILL");
    await victim.done;
    expect(readdirSync(lockDir).some((n) => n.startsWith("gen-"))).toBe(true); // it did not clean up

    const t0 = Date.now();
    const r = await a.cli(
      ["deploy", "web", "--stage", "production", "--sha", "2222222", "--ref", "v1", "--json"],
      ttl,
    );
    expect(r.code).toBe(0);
    expect(parseJsonLines(r.stdout)[0]).toMatchObject({ outcome: "success" });
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
