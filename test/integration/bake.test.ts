// The bake window on the testbed: the engine over the real sshd and dockerd, the route in the real
// Caddy, load through Caddy, commit statuses and Slack messages in their local fakes. The app
// (test/fixtures/bake-app) passes its gate and, with TURN_BAD_AFTER, fails every other request a
// few seconds later: during the bake.
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../fakes/github-server.js";
import { FakeSlack } from "../fakes/slack-server.js";
import {
  type App,
  commitAll,
  fastHealth,
  makeApp,
  parseJsonLines,
  projectContainers,
  removeProjectAndImages,
} from "./harness.js";
import { DOMAIN, ptb, viaProxy } from "./proxy-harness.js";

const { caddy } = ptb;
const FIXTURE = join(import.meta.dirname, "..", "fixtures", "bake-app");
const SLACK_TOKEN = "xoxb-4242-4242-BakeTestTokn";
const GH_TOKEN = "gh_bake_tok_Zr8Vt4Qm";
/** Every forge and Slack name the test machine exports is cleared: only what a test sets counts. */
const QUIET = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => /^(GITHUB_|GITEA_|GITLAB_|CI_|SLACK_)/.test(k))
    .map((k) => [k, ""]),
);
const REPORTING = { ...QUIET, GITHUB_TOKEN: GH_TOKEN, SLACK_BOT_TOKEN: SLACK_TOKEN };

const slack = new FakeSlack(SLACK_TOKEN);
const github = new FakeGitHub(GH_TOKEN, "octo/shop");
const projects: string[] = [];

beforeAll(async () => {
  await slack.start();
  await github.start();
});
afterAll(async () => {
  await slack.stop();
  await github.stop();
  for (const p of projects) await removeProjectAndImages(p);
});

const SOAK = /^soak (\d+)\/(\d+) ok, p50 \d+ ms, p99 \d+ ms/;

function bakeApp(bake: Record<string, unknown>): App {
  const workload = (env: Record<string, string>) => ({
    source: "dockerfile",
    deploy_strategy: "blue-green",
    port: 8080,
    healthcheck: fastHealth,
    drain: "300ms",
    stop_timeout: "1s",
    env,
    bake,
  });
  const app = makeApp(
    { web: workload({ VERSION: "v1" }) },
    {
      proxy: { driver: "caddy", admin: caddy.admin, server: caddy.server },
      domain: DOMAIN,
      forge: { kind: "github", api: github.url, repo: "octo/shop" },
      notify: { slack: { channel: "#deploys" } },
    },
  );
  projects.push(app.project);
  cpSync(FIXTURE, app.dir, { recursive: true });
  return Object.assign(app, { workload });
}

/** Writes the workload's env, commits, deploys that commit; answers the CLI's code and result. */
async function deployWith(app: App, env: Record<string, string>, extra: string[] = []) {
  const w = (app as App & { workload: (e: Record<string, string>) => unknown }).workload(env);
  app.write({ ...app.config, workloads: { web: w } });
  const sha = commitAll(app.dir, JSON.stringify(env));
  const r = await app.cli(["deploy", "web", "--stage", "production", "--sha", sha, "--json", ...extra], {
    ...REPORTING,
    SLACK_API_URL: slack.api,
  });
  return { sha, code: r.code, result: parseJsonLines(r.stdout)[0] ?? {}, stderr: r.stderr };
}

/** Clients through Caddy, one new connection per request, each request's start time and answer. */
function load(hostname: string, workers = 3) {
  const seen: Array<{ at: number; status: number; body: string }> = [];
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const at = Date.now();
      const r = await viaProxy(caddy.port, hostname, "/cgi-bin/app").catch(() => ({ status: 0, body: "" }));
      seen.push({ at, ...r });
    }
  });
  return {
    seen,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

const names = async (project: string) =>
  (await projectContainers(project)).map((c) => c.Names[0]!.slice(1)).sort();

function instanceState(app: App): { bake?: { deployId: string; previous: string } } | undefined {
  try {
    return JSON.parse(
      readFileSync(join(app.stateDir, app.project, "instances", "web.production.json"), "utf8"),
    );
  } catch {
    return undefined;
  }
}

describe("bake window", () => {
  it("a release that fails half its requests during the bake is reverted: 0 failed requests after, figures in the status and Slack", async () => {
    const app = bakeApp({
      for: "30s",
      probe: { path: "/cgi-bin/app", every: "200ms" },
      max_error_rate: "5%",
    });
    const v1 = await deployWith(app, { VERSION: "v1" });
    expect(v1.code, v1.stderr).toBe(0);
    const hostname = `stage-production-${app.project}.${DOMAIN}`;
    expect(await viaProxy(caddy.port, hostname, "/cgi-bin/app")).toEqual({ status: 200, body: "v1" });

    const traffic = load(hostname);
    const t0 = Date.now();
    const bad = await deployWith(app, { VERSION: "v2", TURN_BAD_AFTER: "2" });
    const reverted = Date.now();
    await new Promise((r) => setTimeout(r, 2500));
    await traffic.stop();

    expect(bad.code, bad.stderr).toBe(1);
    const r = bad.result as {
      outcome: string;
      previous: string;
      error: { code: string; message: string };
      bake: { verdict: string; summary: string; probes: number; ok: number; ms: number };
      steps: Array<{ name: string; ok: boolean }>;
    };
    expect(r).toMatchObject({
      outcome: "failed",
      previous: v1.result.container,
      error: { code: "bake_failed" },
    });
    expect(r.bake.verdict).toBe("failed");
    expect(r.bake.summary).toMatch(SOAK);
    expect(r.bake.ok).toBeLessThan(r.bake.probes);
    // Judged as soon as it could not hold: before the 30 s window ended, with fewer probes than it plans.
    expect(r.bake.ms).toBeLessThan(30_000);
    expect(r.bake.probes).toBeLessThan(150);
    expect(r.steps.filter((s) => ["bake", "revert"].includes(s.name))).toEqual([
      { name: "bake", ok: false, ms: expect.any(Number) },
      { name: "revert", ok: true, ms: expect.any(Number) },
    ]);

    // Through Caddy: the bad release was really hit during the bake, and never after the revert.
    const during = traffic.seen.filter((s) => s.at >= t0 && s.at < reverted);
    const after = traffic.seen.filter((s) => s.at >= reverted);
    expect(during.some((s) => s.status === 500 && s.body === "bad")).toBe(true);
    expect(after.length).toBeGreaterThan(10);
    expect(after.filter((s) => s.status !== 200 || s.body !== "v1")).toEqual([]);

    // The old release serves, the new container is gone, no bake is left marked.
    expect(await names(app.project)).toEqual([v1.result.container]);
    expect(instanceState(app)?.bake).toBeUndefined();

    const statuses = github.statuses.filter((s) => s.sha === bad.sha);
    expect(statuses.map((s) => s.state)).toEqual(["pending", "failure"]);
    expect(statuses[1]!.description).toMatch(
      /^Deploy of web to production failed: bake failed: soak \d+\/\d+ ok/,
    );
    const message = slack.messages.find((m) => m.text.includes(bad.sha.slice(0, 7)));
    expect(JSON.stringify(message?.blocks)).toContain(`*Bake*\\n${r.bake.summary}`);
  }, 180_000);

  it("a healthy bake keeps the old release standing by, shows in status, then retires it", async () => {
    const app = bakeApp({ for: "4s", probe: { path: "/cgi-bin/app", every: "250ms" }, max_p99: "1500ms" });
    const v1 = await deployWith(app, { VERSION: "v1" });
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.result).not.toHaveProperty("bake"); // the first release has nothing to go back to

    const deploying = deployWith(app, { VERSION: "v2" });
    // During the bake: both containers run, the route is on v2, status says it bakes.
    const deadline = Date.now() + 60_000;
    while (!instanceState(app)?.bake && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(instanceState(app)?.bake?.previous).toBe(v1.result.container);
    expect((await names(app.project)).length).toBe(2);
    const hostname = `stage-production-${app.project}.${DOMAIN}`;
    expect(await viaProxy(caddy.port, hostname, "/cgi-bin/app")).toEqual({ status: 200, body: "v2" });
    const st = await app.cli(["status", "web", "--stage", "production"], QUIET);
    expect(st.stdout).toContain("running (baking)");
    expect(st.stdout).toContain(`${v1.result.container} stands by to take the route back`);

    const v2 = await deploying;
    expect(v2.code, v2.stderr).toBe(0);
    const r = v2.result as {
      outcome: string;
      previous: string;
      container: string;
      bake: { verdict: string; summary: string; probes: number; ok: number };
    };
    expect(r).toMatchObject({ outcome: "success", previous: v1.result.container });
    expect(r.bake.verdict).toBe("held");
    expect(r.bake.probes).toBeGreaterThanOrEqual(8);
    expect(r.bake.ok).toBe(r.bake.probes);
    expect(r.bake.summary).toMatch(SOAK);
    expect(await names(app.project)).toEqual([r.container]);
    expect(instanceState(app)?.bake).toBeUndefined();
    const statuses = github.statuses.filter((s) => s.sha === v2.sha);
    expect(statuses.map((s) => s.state)).toEqual(["pending", "success"]);
    expect(statuses[1]!.description).toBe(`Deployed web to production, ${r.bake.summary}`);
  }, 180_000);
});
