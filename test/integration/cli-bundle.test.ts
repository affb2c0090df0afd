// The CLI as it is installed (bin/tinyforge.js → dist/launch.js → dist/cli.cjs, where some of the
// dependencies' modules are stand-ins: scripts/bundle.mjs): a deploy through it, an invalid config
// refused as `validate` refuses it, and a second start compiled from V8's code cache.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeApp, parseJsonLines, projectContainers, removeProject, sshEnv, tb } from "./harness.js";

const root = join(import.meta.dirname, "..", "..");
const apps: string[] = [];
// The launcher's code cache goes here, not into the home directory of whoever runs the tests.
const xdgCache = mkdtempSync(join(tmpdir(), "tf-cli-bundle-cache-"));
afterAll(async () => {
  for (const p of apps) await removeProject(p);
  rmSync(xdgCache, { recursive: true, force: true });
});

/** bin/tinyforge.js as a user runs it (dist/ is committed fresh; CI checks it). */
function bin(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    [join(root, "bin/tinyforge.js"), "-c", join(dir, "tinyforge.yml"), ...args],
    {
      env: { ...process.env, ...sshEnv, XDG_CACHE_HOME: xdgCache, TINYFORGE_CODE_CACHE: "", ...env },
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
    // What the deploys compiled is cached for the next one, under its own command word.
    expect(readdirSync(join(xdgCache, "tinyforge", "code")).some((f) => f.endsWith(".deploy.code"))).toBe(
      true,
    );
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

describe("the installed CLI's code cache", () => {
  it("a second validate compiles from the code cache the first one left, and prints the same", () => {
    const a = makeApp({ web });
    apps.push(a.project);
    const first = bin(a.dir, ["validate"], { TINYFORGE_TRACE: "1" });
    const second = bin(a.dir, ["validate"], { TINYFORGE_TRACE: "1" });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stderr).toMatch(/^trace @\d+ code cache validate: written \(none\)\n$/);
    expect(second.stderr).toMatch(/^trace @\d+ code cache validate: read\n$/);
    expect(second.stdout).toBe(first.stdout);
    expect(
      readdirSync(join(xdgCache, "tinyforge", "code")).filter((f) => f.endsWith(".validate.code")),
    ).toHaveLength(1);
  });

  it("runs from an install with no node_modules: the bundle needs only Node's builtins", () => {
    const bare = mkdtempSync(join(tmpdir(), "tf-bare-cli-"));
    for (const f of ["bin", "dist", "package.json"])
      cpSync(join(root, f), join(bare, f), { recursive: true });
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(bare, "bin/tinyforge.js"), ...args], {
        cwd: bare,
        env: { PATH: process.env.PATH ?? "", XDG_CACHE_HOME: join(bare, "cache"), TINYFORGE_TRACE: "1" },
        encoding: "utf8",
      });
    const [version, first, second] = [run("--version"), run("--help"), run("--help")];
    rmSync(bare, { recursive: true, force: true });
    expect([version.status, version.stdout]).toEqual([0, "0.1.0\n"]);
    expect([first.status, second.status]).toEqual([0, 0]);
    expect(first.stdout).toMatch(/^Usage: tinyforge /);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toMatch(/code cache help: read/);
  });
});
