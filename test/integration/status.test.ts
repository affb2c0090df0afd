// `status` as a person reads it: column headers over what serves, and after a teardown it says
// so instead of pretending nothing was ever deployed.
import { afterAll, describe, expect, it } from "vitest";
import { fastHealth, makeApp, removeProject, tb } from "./harness.js";

const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

describe("status", () => {
  it("prints column headers, and says torn down when history exists but nothing serves", async () => {
    const app = makeApp({
      web: {
        source: "image",
        image: "tinyforge/web:{ref}",
        pull: "missing",
        port: tb.webPort,
        healthcheck: fastHealth,
        stop_timeout: "1s",
      },
    });
    apps.push(app.project);
    expect((await app.cli(["status"])).stdout).toBe("nothing deployed yet\n");

    const sha = "1111111111111111111111111111111111111111";
    const d = await app.cli(["deploy", "web", "--stage", "production", "--sha", sha, "--ref", "v1"]);
    expect(d.code, d.stderr).toBe(0);
    const lines = (await app.cli(["status"])).stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^WORKLOAD +STAGE +STATE +SHA +CONTAINER +URL$/);
    expect(lines[1]).toMatch(
      new RegExp(`^web +production +running +${sha.slice(0, 12)} +${app.project}-web-production`),
    );
    // The header's columns sit over the row's values.
    expect(lines[1]!.indexOf("running")).toBe(lines[0]!.indexOf("STATE"));

    expect((await app.cli(["teardown", "web", "--stage", "production"])).code).toBe(0);
    const after = await app.cli(["status", "web", "--stage", "production"]);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(
      /^nothing serves web in production: torn down \(last deploy \w+: web 111111111111 → production/,
    );
  });
});
