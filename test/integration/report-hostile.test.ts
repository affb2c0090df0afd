// A forge that fails, hangs, or answers with our token in its body never fails or leaks from a
// real deploy: exit 0, the warning names only the status, the token is nowhere in the output or
// the events on the host.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitea } from "../fakes/gitea-server.js";
import { type FakeApi, FakeGitHub, type Mode } from "../fakes/github-server.js";
import { fastHealth, makeApp, removeProject } from "./harness.js";

/** Every forge and Slack name the test machine exports is cleared: only what a test sets counts. */
const QUIET = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => /^(GITHUB_|GITEA_|GITLAB_|CI_|SLACK_)/.test(k))
    .map((k) => [k, ""]),
);

const TOKEN = "hostile_tok_8Hw3Ne5Rp1Vq";
const SHA = "3333333333333333333333333333333333333333";
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

const github = new FakeGitHub(TOKEN, "octo/shop");
const gitea = new FakeGitea(TOKEN, "octo/shop");
beforeAll(async () => {
  await github.start();
  await gitea.start();
});
afterAll(async () => {
  await github.stop();
  await gitea.stop();
});

const cases: Array<{ what: string; fake: FakeApi; mode: Mode; warning: RegExp }> = [
  {
    what: "GitHub answering 500",
    fake: github,
    mode: 500,
    warning: /^ {2}! report: commit status: GitHub answered HTTP 500$/m,
  },
  {
    what: "GitHub reflecting the token in a 401 body",
    fake: github,
    mode: "reflect",
    warning: /^ {2}! report: commit status: GitHub answered HTTP 401$/m,
  },
  {
    what: "Gitea never answering",
    fake: gitea,
    mode: "hang",
    warning: /^ {2}! report: commit status: Gitea: no answer within 5000ms$/m,
  },
];

describe.each(cases)("$what", ({ fake, mode, warning }) => {
  it("the deploy succeeds, the warning names the status only, the token is nowhere", async () => {
    const app = makeApp(
      {
        web: {
          source: "image",
          image: "tinyforge/web:v1",
          pull: "missing",
          port: 8080,
          healthcheck: fastHealth,
          drain: "100ms",
          stop_timeout: "1s",
        },
      },
      {
        forge:
          fake === github
            ? { kind: "github", api: github.url, repo: "octo/shop" }
            : { kind: "gitea", api: gitea.api, repo: "octo/shop" },
      },
    );
    apps.push(app.project);
    fake.mode = mode;
    const t0 = Date.now();
    const r = await app.cli(["deploy", "web", "--stage", "production", "--sha", SHA], {
      ...QUIET,
      GITHUB_TOKEN: TOKEN,
      GITEA_TOKEN: TOKEN,
    });
    fake.mode = "ok";
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deployed web /);
    expect(r.stderr).toMatch(warning);
    // Two calls at most per reporter, each bounded: a hanging forge costs seconds, not the deploy.
    expect(Date.now() - t0).toBeLessThan(40_000);
    expect(fake.requests.length).toBeGreaterThan(0);

    const output = r.stdout + r.stderr;
    const events = allFiles(join(app.stateDir, app.project))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    for (const text of [output, events]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain("REFLECTED");
      expect(text).not.toContain("Bad credentials");
      expect(text).not.toContain("Server Error");
    }
    expect(events).toMatch(
      warning.source.includes("Gitea") ? /Gitea: no answer within/ : /GitHub answered HTTP/,
    );
  });
});
