// A real deploy (engine over sshd, real dockerd) reporting to each local forge fake: exactly
// pending then success (or failure for a v2 that fails its gate) under the right context, with the
// deployed URL and SHA; GitHub also gets a deployment and its statuses; an unchanged redeploy
// sends nothing; without a forge or a token the deploy says so once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitea } from "../fakes/gitea-server.js";
import { type FakeApi, FakeGitHub } from "../fakes/github-server.js";
import { FakeGitLab } from "../fakes/gitlab-server.js";
import { type App, fastHealth, makeApp, parseJsonLines, removeProject } from "./harness.js";

/** Every forge and Slack name the test machine exports is cleared: only what a test sets counts. */
const QUIET = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => /^(GITHUB_|GITEA_|GITLAB_|CI_|SLACK_)/.test(k))
    .map((k) => [k, ""]),
);

const TOKEN = "forge_tok_4Jd9Qx2LmZ7r";
const SHA1 = "1111111111111111111111111111111111111111";
const SHA2 = "2222222222222222222222222222222222222222";

const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

/** An image workload over the testbed's local images: ref v1 serves, ref unhealthy fails its gate. */
function webApp(extra: Record<string, unknown>): App {
  const app = makeApp(
    {
      web: {
        source: "image",
        image: "tinyforge/web:{ref}",
        pull: "missing",
        port: 8080,
        healthcheck: fastHealth,
        drain: "100ms",
        stop_timeout: "1s",
      },
    },
    extra,
  );
  apps.push(app.project);
  return app;
}

const deploy = (app: App, sha: string, ref: string, env: Record<string, string>) =>
  app.cli(["deploy", "web", "--stage", "production", "--sha", sha, "--ref", ref, "--json"], {
    ...QUIET,
    ...env,
  });

interface Seen {
  state: string;
  context: string;
  target_url?: string | null;
}

const forges: Array<{
  name: string;
  make: () => FakeApi;
  forge: (f: FakeApi) => Record<string, string>;
  env: Record<string, string>;
  context: string;
  failure: string;
  seen: (f: FakeApi, sha: string) => Seen[];
}> = [
  {
    name: "github",
    make: () => new FakeGitHub(TOKEN, "octo/shop"),
    forge: (f) => ({ kind: "github", api: f.url, repo: "octo/shop" }),
    env: { GITHUB_TOKEN: TOKEN },
    context: "tinyforge",
    failure: "failure",
    seen: (f, sha) =>
      (f as FakeGitHub).statuses
        .filter((s) => s.sha === sha)
        .map((s) => ({ state: s.state, context: s.context, target_url: s.target_url })),
  },
  {
    name: "gitea",
    make: () => new FakeGitea(TOKEN, "octo/shop"),
    forge: (f) => ({ kind: "gitea", api: (f as FakeGitea).api, repo: "octo/shop" }),
    env: { GITEA_TOKEN: TOKEN },
    // A stage's own context: redeploys of this stage update this row.
    context: "tinyforge/production",
    failure: "failure",
    seen: (f, sha) =>
      (f as FakeGitea).statuses
        .filter((s) => s.sha === sha)
        .map((s) => ({ state: s.state, context: s.context, target_url: s.target_url || undefined })),
  },
  {
    name: "gitlab",
    make: () => new FakeGitLab(TOKEN, "group/shop"),
    forge: (f) => ({ kind: "gitlab", api: (f as FakeGitLab).api, repo: "group/shop" }),
    env: { GITLAB_TOKEN: TOKEN },
    context: "tinyforge",
    failure: "failed",
    seen: (f, sha) =>
      (f as FakeGitLab).statuses
        .filter((s) => s.sha === sha)
        .map((s) => ({ state: s.status, context: s.name, target_url: s.target_url ?? undefined })),
  },
];

describe.each(forges)("$name commit statuses", ({ make, forge, env, context, failure, seen, name }) => {
  const fake = make();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  it("v1: pending then success; unchanged: nothing; failing v2: pending then failure", async () => {
    const app = webApp({
      forge: forge(fake),
      stages: {
        production: { branch: "main", ...(context !== "tinyforge" ? { status_context: context } : {}) },
      },
    });
    const ok = await deploy(app, SHA1, "v1", env);
    expect(ok.code).toBe(0);
    const r1 = parseJsonLines(ok.stdout)[0]!;
    expect(r1.outcome).toBe("success");
    expect(seen(fake, SHA1)).toEqual([
      { state: "pending", context, target_url: undefined },
      { state: "success", context, target_url: r1.url },
    ]);

    const before = fake.requests.length;
    const again = await deploy(app, SHA1, "v1", env);
    expect(parseJsonLines(again.stdout)[0]!.outcome).toBe("unchanged");
    expect(fake.requests.length).toBe(before);

    const bad = await deploy(app, SHA2, "unhealthy", env);
    expect(bad.code).toBe(1);
    expect(seen(fake, SHA2)).toEqual([
      { state: "pending", context, target_url: undefined },
      { state: failure, context, target_url: undefined },
    ]);
    const descriptions = fake.requests.map((r) => String(r.body.description ?? ""));
    expect(descriptions.at(-1)).toMatch(/^Deploy of web to production failed: /);

    if (name === "github") {
      const gh = fake as FakeGitHub;
      expect(gh.deployments.map((d) => [d.sha, d.environment, d.transient_environment])).toEqual([
        [SHA1, "production", false],
        [SHA2, "production", false],
      ]);
      expect(gh.deployments[0]!.statuses.map((s) => [s.state, s.environment_url])).toEqual([
        ["in_progress", undefined],
        ["success", r1.url],
      ]);
      expect(gh.deployments[1]!.statuses.map((s) => [s.state, s.environment_url])).toEqual([
        ["in_progress", undefined],
        ["failure", undefined],
      ]);
    }
  });
});

describe("no forge and no token", () => {
  it("a local deploy nobody asked a status of says nothing about statuses", async () => {
    const app = webApp({});
    const r = await app.cli(["deploy", "web", "--stage", "production", "--sha", SHA1, "--ref", "v1"], QUIET);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/commit status/);
  });

  it("in a forge's CI without a token: sends nothing and says so once", async () => {
    const app = webApp({});
    const r = await app.cli(["deploy", "web", "--stage", "production", "--sha", SHA1, "--ref", "v1"], {
      ...QUIET,
      GITHUB_ACTIONS: "true",
    });
    expect(r.code).toBe(0);
    const lines = r.stderr.split("\n").filter((l) => /commit status/.test(l));
    expect(lines).toEqual([
      "  · report: commit status: not sent: no forge token in the environment (GITHUB_TOKEN, GITEA_TOKEN or GITLAB_TOKEN)",
    ]);
  });
});
