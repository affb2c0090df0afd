// The CLI as it is installed (bin/tinyforge.js → dist/, where some of the dependencies' modules
// are stand-ins: scripts/bundle.mjs): a deploy through it, and an invalid config refused as
// `validate` refuses it.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeApp, parseJsonLines, projectContainers, removeProject, sshEnv, tb } from "./harness.js";

const root = join(import.meta.dirname, "..", "..");
const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

/** bin/tinyforge.js as a user runs it (dist/ is committed fresh; CI checks it). */
function bin(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    [join(root, "bin/tinyforge.js"), "-c", join(dir, "tinyforge.yml"), ...args],
    {
      env: { ...process.env, ...sshEnv, ...env },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const web = {
  source: "image",
  image: `${tb.registry}/tinyforge/web:{ref}`,
  port: 8080,
  healthcheck: { path: "/healthz", retries: 20, interval: "200ms", timeout: "2s" },
  drain: "0ms",
  stop_timeout: "0s",
};

describe("the installed CLI's deploy", () => {
  it("deploys and swaps an image, Docker's API reached through the bundle's streams", async () => {
    const a = makeApp({ web });
    apps.push(a.project);
    const deploy = (sha: string, ref: string) =>
      bin(a.dir, ["deploy", "web", "--stage", "production", "--sha", sha, "--ref", ref, "--json"]);
    expect(deploy("a1b2c3d", "v1").code).toBe(0);
    const second = deploy("b2c3d4e", "v2");
    expect(second.code).toBe(0);
    expect(parseJsonLines(second.stdout).map((l) => [l.outcome, l.previous !== null])).toEqual([
      ["success", true],
    ]);
    expect((await projectContainers(a.project)).map((c) => c.Image)).toEqual([
      `${tb.registry}/tinyforge/web:v2`,
    ]);
  });

  it("fails an invalid config with validate's own lines, exit 2, and touches nothing", async () => {
    const a = makeApp({ web: { ...web, port: 99_999, healthcheck: { path: "healthz" } } }, { bogus: 1 });
    apps.push(a.project);
    const deploy = bin(a.dir, ["deploy", "web", "--stage", "production", "--sha", "a1b2c3d"]);
    const validate = bin(a.dir, ["validate"]);
    expect(validate.code).toBe(2);
    expect(deploy.code).toBe(2);
    expect(deploy.stderr).toBe(validate.stderr);
    expect(deploy.stderr).toMatch(/workloads\.web\.port: must be at most 65535/);
    expect(await projectContainers(a.project)).toEqual([]);
  });

  it("refuses an invalid config for the local engine the same way", () => {
    const a = makeApp({ web: { ...web, port: "eighty" } }, { hosts: ["local"] });
    apps.push(a.project);
    const r = bin(a.dir, ["deploy", "web", "--stage", "production", "--sha", "a1b2c3d"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/workloads\.web\.port: /);
  });
});
