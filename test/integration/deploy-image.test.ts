// The engine on the real Docker engine over the real sshd: image source, both strategies.
import { afterAll, describe, expect, it } from "vitest";
import {
  fastHealth,
  get,
  makeApp,
  parseJsonLines,
  projectContainers,
  readState,
  removeProject,
  tb,
} from "./harness.js";
import { sshdLoginCount } from "./testbed.js";

const image = `${tb.registry}/tinyforge/web:{ref}`;
const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

function imageApp(strategy: "" | "recreate" | "blue-green") {
  const app = makeApp({
    web: {
      source: "image",
      image,
      port: 8080,
      deploy_strategy: strategy,
      healthcheck: fastHealth,
      drain: "100ms",
      stop_timeout: "1s",
    },
  });
  apps.push(app.project);
  return app;
}

describe.each([["blue-green" as const], ["recreate" as const]])("image source, %s", (strategy) => {
  it("deploys v1 then v2: one container left, serving v2, state and status agree", async () => {
    const app = imageApp(strategy);
    const logins0 = sshdLoginCount();
    const first = await app.cli([
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
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    // The whole deploy — pull, create, start, probe, state files, events — is one SSH login.
    expect(sshdLoginCount() - logins0).toBe(1);
    const r1 = parseJsonLines(first.stdout)[0]!;
    expect(r1).toMatchObject({
      outcome: "success",
      workload: "web",
      stage: "production",
      sha: "1111111",
      strategy,
      tag: null,
      error: null,
    });
    expect((await get(r1.url as string)).body).toBe("v1");

    const second = await app.cli([
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
    expect(second.code).toBe(0);
    const r2 = parseJsonLines(second.stdout)[0]!;
    expect(r2).toMatchObject({ outcome: "success", previous: r1.container });
    expect((await get(r2.url as string)).body).toBe("v2");
    if (strategy === "recreate") expect(r2.url).toBe(r1.url); // same port: the address users have keeps working
    const steps = (r2.steps as Array<{ name: string; ok: boolean }>).map((s) => s.name);
    expect(steps).toEqual(
      strategy === "blue-green"
        ? ["lock", "pull", "create", "start", "gate", "route", "persist", "reap"]
        : ["lock", "pull", "stop-old", "create", "start", "gate", "route", "persist", "reap"],
    );

    const left = await projectContainers(app.project);
    expect(left.map((c) => c.Names[0]?.slice(1))).toEqual([r2.container]);
    expect(left[0]?.State).toBe("running");
    expect(readState(app, "web.production")?.active?.sha).toBe("2222222");

    const st = await app.cli(["status", "--json"]);
    expect(JSON.parse(st.stdout)).toEqual([
      expect.objectContaining({
        workload: "web",
        stage: "production",
        sha: "2222222",
        state: "running",
        container: r2.container,
      }),
    ]);
  });
});

describe("unchanged SHA", () => {
  it("is a no-op: outcome unchanged, exit 0, the serving container untouched", async () => {
    const app = imageApp("");
    const r1 = parseJsonLines(
      (await app.cli(["deploy", "web", "--stage", "production", "--sha", "1111111", "--ref", "v1", "--json"]))
        .stdout,
    )[0]!;
    const before = (await projectContainers(app.project))[0]!;
    const again = await app.cli([
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
    expect(again.code).toBe(0);
    expect(parseJsonLines(again.stdout)[0]).toMatchObject({
      outcome: "unchanged",
      container: r1.container,
      url: r1.url,
    });
    const after = await projectContainers(app.project);
    expect(after.map((c) => [c.Id, c.State])).toEqual([[before.Id, "running"]]);
  });
});
