// A failed v2 must leave v1 serving, no v2 container, and the state still naming v1.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  fastHealth,
  get,
  makeApp,
  parseJsonLines,
  projectContainers,
  readState,
  removeProject,
} from "./harness.js";

const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

const cases = [
  { strategy: "blue-green", bad: "unhealthy", health: true, code: "health_timeout" },
  { strategy: "recreate", bad: "unhealthy", health: true, code: "health_timeout" },
  { strategy: "blue-green", bad: "crash", health: true, code: "container_exited" },
  { strategy: "recreate", bad: "crash", health: true, code: "container_exited" },
  // No healthcheck: the liveness window catches a container that exits at once.
  { strategy: "blue-green", bad: "crash", health: false, code: "container_exited" },
  { strategy: "recreate", bad: "crash", health: false, code: "container_exited" },
] as const;

describe.each(cases)("$strategy, v2 $bad (healthcheck: $health)", ({ strategy, bad, health, code }) => {
  it("exits 1 and leaves v1 serving", async () => {
    const app = makeApp({
      web: {
        // The crash image exists only locally (the testbed builds it): use local copies.
        source: "image",
        image: "tinyforge/web:{ref}",
        pull: "missing",
        port: 8080,
        deploy_strategy: strategy,
        ...(health ? { healthcheck: fastHealth } : { liveness_window: "1500ms" }),
        drain: "100ms",
        stop_timeout: "1s",
      },
    });
    apps.push(app.project);
    const ok = await app.cli([
      "deploy",
      "web",
      "--stage",
      "production",
      "--sha",
      "1111111",
      "--ref",
      "v1",
      "--json",
    ]);
    expect(ok.code).toBe(0);
    const v1 = parseJsonLines(ok.stdout)[0]!;
    const v1Id = (await projectContainers(app.project))[0]!.Id;

    const failed = await app.cli([
      "deploy",
      "web",
      "--stage",
      "production",
      "--sha",
      "2222222",
      "--ref",
      bad,
      "--json",
    ]);
    expect(failed.code).toBe(1);
    const r = parseJsonLines(failed.stdout)[0]!;
    expect(r).toMatchObject({ outcome: "failed", error: expect.objectContaining({ code }) });

    if (bad === "crash") {
      // The container is gone, but why it failed is kept: its last output is in the events.
      const events = readFileSync(join(app.stateDir, app.project, "events", `${r.deployId}.jsonl`), "utf8");
      expect(events).toMatch(/"step":"container-log","msg":"tinyforge test image: exiting 1 on purpose"/);
    }
    const left = await projectContainers(app.project);
    expect(left.map((c) => [c.Id, c.State])).toEqual([[v1Id, "running"]]);
    expect(readState(app, "web.production")?.active?.sha).toBe("1111111");
    const st = JSON.parse((await app.cli(["status", "--json"])).stdout);
    expect(st[0]).toMatchObject({ sha: "1111111", state: "running" });
    // Recreate restarts v1 on its port; blue-green never touched it.
    expect((await get(st[0].url)).body).toBe("v1");
    if (strategy === "blue-green") expect(st[0].url).toBe(v1.url);
  });
});
