// A deploy freeze, from the CLI and the action: kept in the stage's state on the host, so every
// entry point refuses a frozen stage (exit 5, a failed status with the reason) before anything on
// the host changes; --force overrides it and the override is recorded; an expired freeze no longer
// freezes. (The bot's entry points: freeze-bot.test.ts.)
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../fakes/github-server.js";
import {
  type App,
  fastHealth,
  makeApp,
  parseJsonLines,
  projectContainers,
  removeProject,
  tb,
} from "./harness.js";

const root = join(import.meta.dirname, "..", "..");
const TOKEN = "ghs_freezeTokenCanary1234567890";
const apps: App[] = [];
let github: FakeGitHub;

beforeAll(async () => {
  github = await new FakeGitHub(TOKEN).start();
});
afterAll(async () => {
  await github.stop();
  for (const a of apps) await removeProject(a.project);
});

function app(): App {
  const a = makeApp(
    {
      web: {
        source: "image",
        image: "tinyforge/web:{ref}",
        pull: "missing",
        port: tb.webPort,
        healthcheck: fastHealth,
        drain: "100ms",
        stop_timeout: "1s",
      },
    },
    { forge: { kind: "github", api: github.url, repo: "octo/shop" } },
  );
  apps.push(a);
  return a;
}

const freezeFile = (a: App, stage: string) => join(a.stateDir, a.project, "freezes", `${stage}.json`);
const statusesOf = (sha: string) => github.statuses.filter((s) => s.sha === sha);

describe("deploy freeze (CLI and action)", () => {
  it("a frozen stage refuses the CLI's deploy and rollback with exit 5 and the reason; nothing on the host changes", async () => {
    const a = app();
    const env = { GITHUB_TOKEN: TOKEN };
    const v1 = "1".repeat(40);
    expect((await a.cli(["deploy", "--stage", "production", "--sha", v1, "--ref", "v1"], env)).code).toBe(0);
    const before = (await projectContainers(a.project)).map((c) => c.Id).sort();

    const f = await a.cli([
      "freeze",
      "production",
      "--reason",
      "black friday",
      "--until",
      "2099-01-01T00:00Z",
    ]);
    expect(f.code, f.stderr).toBe(2); // more than a year away: a typo, refused
    expect(f.stderr).toContain("more than a year away");
    expect(existsSync(freezeFile(a, "production"))).toBe(false);

    const until = `${new Date(Date.now() + 3600_000).toISOString().slice(0, 16)}Z`;
    const frozen = await a.cli(["freeze", "production", "--reason", "black friday", "--until", until]);
    expect(frozen.code, frozen.stderr).toBe(0);
    expect(frozen.stdout).toMatch(/: production frozen: black friday \(by \S+@\S+, until \d{4}-.+Z\)\n$/);
    expect(JSON.parse(readFileSync(freezeFile(a, "production"), "utf8"))).toMatchObject({
      stage: "production",
      reason: "black friday",
    });

    const v2 = "2".repeat(40);
    const d = await a.cli(["deploy", "--stage", "production", "--sha", v2, "--ref", "v2"], env);
    expect(d.code).toBe(5);
    expect(d.stderr).toMatch(/^error: production is frozen: black friday \(by \S+, until .+\)\n/);
    expect(d.stderr).toContain("--force overrides it");
    // The commit hears it as a failure carrying the freeze; no pending first (nothing started).
    expect(statusesOf(v2).map((s) => [s.state, s.description])).toEqual([
      ["failure", expect.stringMatching(/^frozen: black friday \(by \S+, until .+\)$/)],
    ]);
    const r = await a.cli(["rollback", "web", "--stage", "production"]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("production is frozen: black friday");
    // Nothing changed on the host: the same containers, no deploy record for the refused ones.
    expect((await projectContainers(a.project)).map((c) => c.Id).sort()).toEqual(before);
    const records = readdirSync(join(a.stateDir, a.project, "deploys"));
    expect(records).toHaveLength(1);

    // status shows it, in words and in --json.
    const st = await a.cli(["status"]);
    expect(st.stdout).toMatch(/^! production is frozen: black friday \(by /);
    const js = JSON.parse((await a.cli(["status", "--json"])).stdout) as Array<Record<string, unknown>>;
    expect(js[0]).toMatchObject({ stage: "production", frozen: { reason: "black friday" } });

    // Another stage is not frozen.
    expect(
      (await a.cli(["deploy", "--stage", "preview", "--tag", "pr-1", "--sha", v2, "--ref", "v2"])).code,
    ).toBe(0);
  });

  it("--force deploys into a frozen stage and the override is recorded in the deploy's record and events", async () => {
    const a = app();
    expect((await a.cli(["freeze", "production", "--reason", "incident 42"])).code).toBe(0);
    const v1 = "3".repeat(40);
    const d = await a.cli([
      "deploy",
      "--stage",
      "production",
      "--sha",
      v1,
      "--ref",
      "v1",
      "--force",
      "--json",
    ]);
    expect(d.code, d.stderr).toBe(0);
    const [res] = parseJsonLines(d.stdout);
    expect(res).toMatchObject({ outcome: "success", forced: { freeze: { reason: "incident 42" } } });
    const rec = JSON.parse(
      readFileSync(join(a.stateDir, a.project, "deploys", `${res!.deployId}.json`), "utf8"),
    ) as Record<string, unknown>;
    expect(rec.forced).toMatchObject({
      freeze: { reason: "incident 42", stage: "production" },
      by: expect.any(String),
    });
    const events = readFileSync(join(a.stateDir, a.project, "events", `${res!.deployId}.jsonl`), "utf8");
    expect(events).toMatch(/"step":"freeze","msg":"forced by \S+: production is frozen: incident 42/);

    // Unfrozen: deploys go through again without --force.
    const u = await a.cli(["unfreeze", "production"]);
    expect(u.stdout).toMatch(/production unfrozen \(was frozen: incident 42/);
    expect(existsSync(freezeFile(a, "production"))).toBe(false);
    expect(
      (await a.cli(["deploy", "--stage", "production", "--sha", "4".repeat(40), "--ref", "v2"])).code,
    ).toBe(0);
  });

  it("an expired --until no longer freezes", async () => {
    const a = app();
    mkdirState(a);
    writeFileSync(
      freezeFile(a, "production"),
      JSON.stringify({
        stage: "production",
        reason: "old",
        by: "x",
        at: "2020-01-01T00:00:00Z",
        until: "2020-01-02T00:00:00.000Z",
      }),
    );
    const d = await a.cli(["deploy", "--stage", "production", "--sha", "5".repeat(40), "--ref", "v1"]);
    expect(d.code, d.stderr).toBe(0);
    expect((await a.cli(["status"])).stdout).not.toContain("frozen");
  });

  it("a frozen stage refuses the action: failed outcome with the reason, a failure status", async () => {
    const a = app();
    expect((await a.cli(["freeze", "production", "--reason", "release freeze"])).code).toBe(0);
    execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root });
    const sha = "6".repeat(40);
    const r = await runAction(a, sha);
    expect(r.code).not.toBe(0);
    expect(r.outputs).toContain("outcome<<");
    expect(r.stdout).toMatch(/::error::production is frozen: release freeze \(by /);
    expect(statusesOf(sha).map((s) => [s.state, s.description])).toEqual([
      ["failure", expect.stringMatching(/^frozen: release freeze \(by \S+, until unfrozen\)$/)],
    ]);
    expect(await projectContainers(a.project)).toEqual([]);
  });
});

function mkdirState(a: App): void {
  execFileSync("mkdir", ["-p", join(a.stateDir, a.project, "freezes")]);
}

/** dist/action.js as the runner runs it (see action.test.ts), on a push of `sha` to main. */
function runAction(a: App, sha: string): Promise<{ code: number | null; stdout: string; outputs: string }> {
  const dir = mkdtempSync(join(tmpdir(), "tf-runner-"));
  const event = join(dir, "event.json");
  writeFileSync(
    event,
    JSON.stringify({ ref: "refs/heads/main", after: sha, repository: { full_name: "octo/shop" } }),
  );
  const output = join(dir, "output");
  const summary = join(dir, "summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/root",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "push",
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: sha,
    GITHUB_REF: "refs/heads/main",
    GITHUB_REPOSITORY: "octo/shop",
    GITHUB_API_URL: github.url,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    INPUT_CONFIG: join(a.dir, "tinyforge.yml"),
    INPUT_WORKLOAD: "",
    INPUT_STAGE: "",
    "INPUT_SSH-KEY": readFileSync(tb.sshKeyFile, "utf8"),
    "INPUT_KNOWN-HOSTS": readFileSync(tb.knownHostsFile, "utf8"),
    INPUT_TOKEN: TOKEN,
    "INPUT_SLACK-TOKEN": "",
    "INPUT_SLACK-WEBHOOK": "",
    INPUT_STRATEGY: "",
  };
  const child = spawn(process.execPath, [join(root, "dist/action.js")], {
    cwd: a.dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stdout += d));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, outputs: readFileSync(output, "utf8") })),
  );
}
