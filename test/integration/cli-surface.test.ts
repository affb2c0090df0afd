// What people and scripts see: progress lines at a terminal, the local engine without SSH, unlock,
// and argv that reaches the host's shell quoted by one function.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ulid } from "ulid";
import { afterAll, describe, expect, it } from "vitest";
import { SshHost } from "../../src/adapters/ssh-host.js";
import { main } from "../../src/cli/main.js";
import { fastHealth, get, makeApp, parseJsonLines, removeProject, sshEnv, tb } from "./harness.js";
import { sshdLoginCount } from "./testbed.js";

const root = join(import.meta.dirname, "..", "..");
const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});
const web = {
  source: "image",
  image: `${tb.registry}/tinyforge/web:{ref}`,
  port: 8080,
  healthcheck: fastHealth,
  drain: "100ms",
  stop_timeout: "1s",
};

describe("CLI surface", () => {
  it("prints one line per step with its time at a terminal, then the outcome", async () => {
    const a = makeApp({ web });
    apps.push(a.project);
    let out = "";
    let err = "";
    const code = await main(
      [
        "-c",
        join(a.dir, "tinyforge.yml"),
        "deploy",
        "web",
        "--stage",
        "production",
        "--sha",
        "1111111",
        "--ref",
        "v1",
      ],
      {
        io: {
          out: (t) => {
            out += t;
          },
          err: (t) => {
            err += t;
          },
        },
        env: { ...process.env, ...sshEnv },
        isTTY: true,
      },
    );
    expect(code).toBe(0);
    for (const step of ["lock", "pull", "create", "start", "gate", "route", "persist"]) {
      expect(err).toMatch(new RegExp(`^  ✓ ${step} +\\d+(\\.\\d)?m?s$`, "m"));
    }
    expect(out).toMatch(/^deployed web 1111111 → production in .*: .* at http:\/\/127\.0\.0\.1:\d+\n$/);
  });

  it("deploys to hosts: [local] through the local socket, with no SSH login", async () => {
    const a = makeApp({ web }, { hosts: ["local"] });
    apps.push(a.project);
    const before = sshdLoginCount();
    const r = await a.cli([
      "deploy",
      "web",
      "--stage",
      "production",
      "--sha",
      "1111111",
      "--ref",
      "v2",
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(sshdLoginCount()).toBe(before);
    const d = parseJsonLines(r.stdout)[0]!;
    expect(d.host).toBe("local");
    expect((await get(d.url as string)).body).toBe("v2");
  });

  it("history piped into `head -1` ends quietly with exit 0 once the reader is gone", () => {
    const a = makeApp({ web }, { hosts: ["local"] });
    const dir = join(a.stateDir, a.project, "deploys");
    mkdirSync(dir, { recursive: true });
    // Far more than a pipe holds (64 KiB): the CLI is still writing when head has exited.
    const ids = Array.from({ length: 600 }, () => ulid());
    for (const [i, deployId] of ids.entries()) {
      const rec = {
        deployId,
        project: a.project,
        workload: "web",
        stage: "production",
        sha: `${i}`.padStart(40, "0"),
        strategy: "recreate",
        host: "local",
        outcome: "failed",
        startedAt: new Date(Date.now() + i).toISOString(),
        steps: [],
        error: { code: "health_timeout", message: `attempt ${i}: ${"no answer on /healthz; ".repeat(8)}` },
      };
      writeFileSync(join(dir, `${deployId}.json`), JSON.stringify(rec));
    }
    // ULIDs made in the same millisecond are not ordered by creation: newest is the greatest name.
    const newest = [...ids].sort().at(-1);
    const cli = ["--import", "tsx", join(root, "src/cli/index.ts"), "-c", join(a.dir, "tinyforge.yml")];
    const errFile = join(a.dir, "stderr");
    const r = spawnSync(
      "bash",
      [
        "-c",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: bash expands it, not JavaScript
        '"$@" 2>"$ERR" | head -1; exit "${PIPESTATUS[0]}"',
        "bash",
        process.execPath,
        ...cli,
        "history",
        "web",
        "--limit",
        "1000",
      ],
      { cwd: root, env: { ...process.env, ERR: errFile }, encoding: "utf8", timeout: 60_000 },
    );
    expect(readFileSync(errFile, "utf8")).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")).toEqual([expect.stringMatching(new RegExp(`^${newest}  `)), ""]);
  });

  it("unlock removes a lock left behind and names its holder", async () => {
    const a = makeApp({ web }, { lock_timeout: "200ms" });
    apps.push(a.project);
    const dir = join(a.stateDir, a.project, "locks", "web.production");
    mkdirSync(dir, { recursive: true });
    const lease = {
      owner: "ci@runner-7 pid 4242",
      deployId: "01JTESTTESTTESTTESTTESTTES",
      acquiredAt: new Date().toISOString(),
      expiresAt: Date.now() + 3_600_000,
      ttlMs: 3_600_000,
      beat: 0,
    };
    writeFileSync(join(dir, "gen-1.json"), JSON.stringify(lease));
    const blocked = await a.cli([
      "deploy",
      "web",
      "--stage",
      "production",
      "--sha",
      "1111111",
      "--ref",
      "v1",
    ]);
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toContain("ci@runner-7 pid 4242");
    const u = await a.cli(["unlock", "web", "--stage", "production"]);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain("held by ci@runner-7 pid 4242");
    expect(existsSync(join(dir, "gen-1.json"))).toBe(false);
    expect(
      (await a.cli(["deploy", "web", "--stage", "production", "--sha", "1111111", "--ref", "v1"])).code,
    ).toBe(0);
  });

  it("exec on the host quotes argv: shell syntax arrives as plain text", async () => {
    const host = await SshHost.connect(
      { user: tb.sshUser, host: tb.sshHost, port: tb.sshPort },
      {
        privateKey: readFileSync(tb.sshKeyFile, "utf8"),
        knownHosts: readFileSync(tb.knownHostsFile, "utf8"),
      },
    );
    const marker = `/tmp/pwned-exec-${process.pid}`;
    try {
      for (const arg of [
        `main;touch ${marker}`,
        `$(touch ${marker})`,
        `\`touch ${marker}\``,
        "it's",
        "a\nb",
      ]) {
        const r = await host.exec(["printf", "%s", arg]);
        expect(r).toEqual({ code: 0, stdout: arg, stderr: "" });
      }
    } finally {
      await host.close();
    }
    expect(existsSync(marker)).toBe(false);
  });
});
