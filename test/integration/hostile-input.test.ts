// Strings from users (refs, tags) reach the host only through the Docker API or argv quoted by one
// function; secrets reach the container without appearing anywhere else.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  docker,
  fastHealth,
  makeApp,
  parseJsonLines,
  projectContainers,
  removeProject,
  tb,
} from "./harness.js";

const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe("hostile input", () => {
  it("rejects a ref carrying shell syntax before touching the host", async () => {
    const a = makeApp({ web: { source: "image", image: `${tb.registry}/tinyforge/web:{ref}`, port: 8080 } });
    apps.push(a.project);
    const marker = `/tmp/pwned-${a.project}`;
    for (const ref of [`main;touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``]) {
      const r = await a.cli(["deploy", "web", "--stage", "production", "--ref", ref]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/ref/i);
    }
    expect(existsSync(marker)).toBe(false);
    expect(await projectContainers(a.project)).toEqual([]);
  });

  it("makes a hostile tag inert: sanitized names, nothing executed", async () => {
    const a = makeApp({
      web: { source: "image", image: `${tb.registry}/tinyforge/web:v1`, port: 8080, healthcheck: fastHealth },
    });
    apps.push(a.project);
    const marker = `/tmp/pwned-tag-${a.project}`;
    const r = await a.cli([
      "deploy",
      "web",
      "--stage",
      "preview",
      "--sha",
      "1111111",
      "--tag",
      `x$(touch ${marker});y`,
      "--json",
    ]);
    expect(existsSync(marker)).toBe(false);
    if (r.code === 0) {
      const c = parseJsonLines(r.stdout)[0]!.container as string;
      expect(c).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    } else {
      expect(r.code).toBe(2);
    }
  });
});

describe("secrets", () => {
  it("reach the container's environment and nothing else", async () => {
    const secret = "s3cr3t-Value-4242-xyz";
    const a = makeApp({
      web: {
        source: "image",
        image: `${tb.registry}/tinyforge/web:v1`,
        port: 8080,
        healthcheck: fastHealth,
        secrets: ["APP_TOKEN"],
      },
    });
    apps.push(a.project);
    const r = await a.cli(["deploy", "web", "--stage", "production", "--sha", "1111111", "--json"], {
      APP_TOKEN: secret,
    });
    expect(r.code).toBe(0);
    const c = (await projectContainers(a.project))[0]!;
    const info = await docker.getContainer(c.Id).inspect();
    expect(info.Config.Env).toContain(`APP_TOKEN=${secret}`);
    expect(info.Config.Cmd ?? []).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain(secret);
    for (const f of allFiles(join(a.stateDir, a.project)))
      expect(readFileSync(f, "utf8")).not.toContain(secret);
    // ... and not on any process's command line on the host while it ran.
    expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).not.toContain(secret);
  });

  it("a missing secret is exit 2 naming it, with nothing deployed", async () => {
    const a = makeApp({
      web: {
        source: "image",
        image: `${tb.registry}/tinyforge/web:v1`,
        port: 8080,
        secrets: ["MISSING_ONE"],
      },
    });
    apps.push(a.project);
    const r = await a.cli(["deploy", "web", "--stage", "production", "--sha", "1111111"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("workloads.web.secrets: not set in the environment: MISSING_ONE");
    expect(await projectContainers(a.project)).toEqual([]);
  });
});

// Each value is refused with exit 2 before anything reaches the host: no container, no state file.
describe("hostile command-line values", () => {
  const sha = ["--sha", "1111111"];
  const deploy = (...extra: string[]) => ["deploy", "web", "--stage", "production", ...extra];
  const corpus: Array<[string, string[], RegExp]> = [
    ["--ref with a newline (and --sha)", deploy(...sha, "--ref", "main\nINFO forged"), /invalid git ref/],
    ["--ref with $(…) (and --sha)", deploy(...sha, "--ref", "$(id)"), /invalid git ref/],
    ["--ref of 10 KB (and --sha)", deploy(...sha, "--ref", "a".repeat(10_240)), /longer than 255/],
    ["--ref with .. (and --sha)", deploy(...sha, "--ref", "main/../x"), /invalid git ref/],
    ['--ref "v1 " (and --sha)', deploy(...sha, "--ref", "v1 "), /invalid git ref/],
    ['--tag "v1 " that would collide with v1', deploy(...sha, "--tag", "v1 "), /invalid tag/],
    ["--tag with a newline", deploy(...sha, "--tag", "pr-1\nx"), /invalid tag/],
    ["--tag with ../", deploy(...sha, "--tag", "../../etc"), /invalid tag/],
    ["--stage with a path", ["deploy", "web", "--stage", "production/../../x", ...sha], /no stage/],
    [
      "unlock --stage escaping the state dir",
      ["unlock", "web", "--stage", "production/../../../../victim"],
      /stage name/,
    ],
    ["logs of a path instead of a deploy id", ["logs", "../../../../etc/passwd"], /not a deploy id/],
  ];

  it.each(corpus)("refuses %s with exit 2, touching nothing", async (_, args, message) => {
    const a = makeApp({ web: { source: "image", image: `${tb.registry}/tinyforge/web:v1`, port: 8080 } });
    apps.push(a.project);
    // A file unlock would read and delete if the stage were joined as given.
    const victim = join(a.stateDir, "victim");
    mkdirSync(join(victim, "gen-1.json"), { recursive: true });
    const r = await a.cli(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain("\nINFO forged");
    expect(existsSync(join(victim, "gen-1.json"))).toBe(true);
    expect(existsSync(join(a.stateDir, a.project))).toBe(false);
    expect(await projectContainers(a.project)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["publish_ip localhost", { publish_ip: "localhost" }, "publish_ip: must be an IP address"],
    ["publish_ip 127.0.0.l", { publish_ip: "127.0.0.l" }, "publish_ip: must be an IP address"],
    ['publish_ip "127.0.0.1 "', { publish_ip: "127.0.0.1 " }, "publish_ip: must be an IP address"],
    ['publish_ip ""', { publish_ip: "" }, "publish_ip: must be an IP address"],
  ])("validate and deploy refuse %s with its key path", async (_, extra, line) => {
    const a = makeApp(
      { web: { source: "image", image: `${tb.registry}/tinyforge/web:v1`, port: 8080 } },
      extra,
    );
    apps.push(a.project);
    for (const args of [["validate"], ["deploy", "web", "--stage", "production", "--sha", "1111111"]]) {
      const r = await a.cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(line);
    }
    expect(existsSync(join(a.stateDir, a.project))).toBe(false);
    expect(await projectContainers(a.project)).toEqual([]);
  });

  it("a secret shorter than 8 characters is refused, naming the variable", async () => {
    const a = makeApp({
      web: { source: "image", image: `${tb.registry}/tinyforge/web:v1`, port: 8080, secrets: ["PIN"] },
    });
    apps.push(a.project);
    const r = await a.cli(["deploy", "web", "--stage", "production", "--sha", "1111111"], { PIN: "1234" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("workloads.web.secrets: PIN is shorter than 8 characters");
    expect(r.stderr).not.toContain("1234");
    expect(await projectContainers(a.project)).toEqual([]);
  });
});
