// compose source: a stack brought up over SSH with docker compose (v2) or docker-compose (v1), the
// service gated, the previous release's stack brought back on failure, and a failure's output —
// which can echo the app's environment — kept out of everything but the local error.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type App,
  commitAll,
  docker,
  fastHealth,
  get,
  makeApp,
  parseJsonLines,
  projectNetworks,
  readState,
  removeProject,
} from "./harness.js";

const apps: App[] = [];
afterAll(async () => {
  for (const a of apps) {
    const cs = await docker.listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${a.project}-web-production`] },
    });
    for (const c of cs)
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    await removeProject(a.project);
    expect(await projectNetworks(a.project)).toEqual([]);
  }
});

function compose(dir: string, image: string, extra = "") {
  const file = `version: "3.7"\nservices:\n  web:\n    image: ${image}\n    ports: ["127.0.0.1::8080"]\n${extra}`;
  writeFileSync(join(dir, "docker-compose.yml"), file);
}

function allText(dir: string): string {
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .map((p) => (statSync(p).isDirectory() ? allText(p) : readFileSync(p, "utf8")))
    .join("\n");
}

describe("compose source", () => {
  it("brings the stack up, gates its service, and replaces it on the next release", async () => {
    const a = makeApp({ web: { source: "compose", service: "web", port: 8080, healthcheck: fastHealth } });
    apps.push(a);
    compose(a.dir, "tinyforge/web:v1");
    commitAll(a.dir, "v1");
    const d1 = await a.cli(["deploy", "web", "--stage", "production", "--json"]);
    expect(d1.stderr).toBe("");
    const r1 = parseJsonLines(d1.stdout)[0]!;
    expect(r1).toMatchObject({ outcome: "success", strategy: "recreate" });
    expect((r1.steps as Array<{ name: string }>).map((s) => s.name)).toEqual([
      "lock",
      "upload",
      "up",
      "start",
      "gate",
      "route",
      "persist",
    ]);
    expect((await get(r1.url as string)).body).toBe("v1");

    compose(a.dir, "tinyforge/web:v2");
    commitAll(a.dir, "v2");
    const r2 = parseJsonLines((await a.cli(["deploy", "web", "--stage", "production", "--json"])).stdout)[0]!;
    expect(r2).toMatchObject({ outcome: "success" });
    expect((await get(r2.url as string)).body).toBe("v2");
    const running = await docker.listContainers({
      filters: { label: [`com.docker.compose.project=${a.project}-web-production`] },
    });
    expect(running).toHaveLength(1);

    // Rollback runs the previous release's files again.
    const rb = parseJsonLines(
      (await a.cli(["rollback", "web", "--stage", "production", "--json"])).stdout,
    )[0]!;
    expect(rb).toMatchObject({ outcome: "success" });
    expect((await get(rb.url as string)).body).toBe("v1");

    const td = await a.cli(["teardown", "web", "--stage", "production"]);
    expect(td.stdout).toContain(`compose stack ${a.project}-web-production down`);
    expect(
      await docker.listContainers({
        all: true,
        filters: { label: [`com.docker.compose.project=${a.project}-web-production`] },
      }),
    ).toEqual([]);
  });

  it("a failing up: exit 1, the previous stack back, and its output only in the local error", async () => {
    const leak = "postgres://app:hunter2-canary@db/app";
    const a = makeApp({
      web: {
        source: "compose",
        service: "web",
        port: 8080,
        healthcheck: fastHealth,
        env: { DATABASE_URL: leak },
      },
    });
    apps.push(a);
    compose(a.dir, "tinyforge/web:v1");
    commitAll(a.dir, "v1");
    expect((await a.cli(["deploy", "web", "--stage", "production"])).code).toBe(0);

    // A container name built from the environment: Docker's refusal echoes the value.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own variable syntax, on purpose
    compose(a.dir, "tinyforge/web:v2", '    container_name: "${DATABASE_URL}"\n');
    commitAll(a.dir, "broken");
    const bad = await a.cli(["deploy", "web", "--stage", "production", "--json"]);
    expect(bad.code).toBe(1);
    const r = parseJsonLines(bad.stdout)[0]!;
    const error = r.error as { code: string; message: string; detail?: string };
    expect(error.message).toMatch(/^docker compose up failed \(exit \d+\); its output may contain secrets/);
    expect(error.message).not.toContain("hunter2");
    expect(error.detail).toContain("hunter2-canary"); // the deploying user sees why
    expect(allText(join(a.stateDir, a.project, "events"))).not.toContain("hunter2");
    expect(allText(join(a.stateDir, a.project, "deploys"))).not.toContain("hunter2");

    const st = readState(a, "web.production")!;
    expect(st.active?.sha).not.toBe(r.sha);
    expect((await get(st.active!.url)).body).toBe("v1");
  });
});
