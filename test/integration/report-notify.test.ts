// A real deploy telling Slack (bot token: one message, updated as it runs; incoming webhook: the
// result once) and a JSON webhook; and a secret canary — a workload secret also used as a build
// arg and echoed by the build — never reaching Slack, the webhook, a status or the event log.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../fakes/github-server.js";
import { FakeSlack } from "../fakes/slack-server.js";
import { commitAll, docker, fastHealth, makeApp, parseJsonLines, removeProject } from "./harness.js";

/** Every forge and Slack name the test machine exports is cleared: only what a test sets counts. */
const QUIET = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => /^(GITHUB_|GITEA_|GITLAB_|CI_|SLACK_)/.test(k))
    .map((k) => [k, ""]),
);

const SLACK_TOKEN = "xoxb-4242-4242-NotifyCanaryTok";
const GH_TOKEN = "gh_notify_tok_Qm3Zr8Vt";
const SHA = "4444444444444444444444444444444444444444";

const slack = new FakeSlack(SLACK_TOKEN);
const github = new FakeGitHub(GH_TOKEN, "octo/shop");
const hooks: Array<{ headers: Record<string, unknown>; body: Record<string, unknown> }> = [];
let receiver: Server;
let hookUrl = "";
const apps: string[] = [];

beforeAll(async () => {
  await slack.start();
  await github.start();
  receiver = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      hooks.push({ headers: req.headers, body: JSON.parse(text) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/tinyforge`;
});
afterAll(async () => {
  await slack.stop();
  await github.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
  for (const p of apps) {
    await removeProject(p);
    for (const img of await docker.listImages({ filters: { reference: [`tinyforge/${p}_web`] } }))
      await docker
        .getImage(img.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
});

const imageWeb = {
  source: "image",
  image: "tinyforge/web:v1",
  pull: "missing",
  port: 8080,
  healthcheck: fastHealth,
  drain: "100ms",
  stop_timeout: "1s",
};

describe("Slack with a bot token, and a JSON webhook", () => {
  it("one message per deploy, posted at start and updated after each step and at the end", async () => {
    const app = makeApp({ web: imageWeb }, { notify: { slack: { channel: "#deploys" }, webhook: hookUrl } });
    apps.push(app.project);
    const m0 = slack.messages.length;
    const h0 = hooks.length;
    const r = await app.cli(["deploy", "web", "--stage", "production", "--sha", SHA, "--json"], {
      ...QUIET,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.api,
    });
    expect(r.code).toBe(0);
    const res = parseJsonLines(r.stdout)[0]!;
    const posted = slack.messages.slice(m0);
    expect(posted).toHaveLength(1);
    const m = posted[0]!;
    expect(m.channel).toBe("C0TESTCHAN1");
    const steps = (res.steps as Array<{ name: string }>).map((s) => s.name);
    // Posted when the deploy started, one update per step after the lock, one at the end.
    expect(m.history).toHaveLength(1 + steps.filter((s) => s !== "lock").length + 1);
    expect(m.history[0]!.text).toBe(`⏳ Deploying ${app.project}/web to production: 4444444`);
    expect(m.text).toMatch(
      new RegExp(`^✅ Deployed ${app.project}/web to production: 4444444 in \\S+ ${res.url}$`),
    );
    const fields = JSON.stringify(m.blocks);
    for (const want of [
      "*Workload*\\nweb",
      "*Stage*\\nproduction",
      "*Strategy*\\nblue-green",
      "*Outcome*\\nsuccess",
    ])
      expect(fields).toContain(want);
    expect(fields).toContain(`<${res.url}|${res.url}>`);
    expect(
      slack.calls(/chat\.update$/).every((c) => c.headers.authorization === `Bearer ${SLACK_TOKEN}`),
    ).toBe(true);

    // The JSON webhook: one document, when it ended.
    expect(hooks.slice(h0).map((h) => h.body)).toEqual([
      expect.objectContaining({
        event: "deploy.finished",
        deployId: res.deployId,
        project: app.project,
        workload: "web",
        stage: "production",
        sha: SHA,
        outcome: "success",
        url: res.url,
        error: null,
      }),
    ]);
    expect(hooks.at(-1)!.headers["content-type"]).toBe("application/json");
  });
});

describe("Slack with only an incoming webhook", () => {
  it("posts the result once, at the end", async () => {
    const app = makeApp({ web: imageWeb });
    apps.push(app.project);
    const w0 = slack.webhookPosts.length;
    const api0 = slack.calls(/^\/api\//).length;
    const r = await app.cli(["deploy", "web", "--stage", "production", "--sha", SHA, "--json"], {
      ...QUIET,
      SLACK_WEBHOOK_URL: slack.webhookUrl,
    });
    expect(r.code).toBe(0);
    const posts = slack.webhookPosts.slice(w0);
    expect(posts.map((p) => p.text.split(":")[0])).toEqual([`✅ Deployed ${app.project}/web to production`]);
    expect(slack.calls(/^\/api\//).length).toBe(api0);
  });
});

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe("a secret canary", () => {
  it("in the environment and a build arg, echoed by the build: reaches no status, chat, webhook or event", async () => {
    const canary = "canary-7Yh2Kq9Pz4Wx";
    const app = makeApp(
      {
        web: {
          source: "dockerfile",
          port: 8080,
          healthcheck: fastHealth,
          drain: "100ms",
          stop_timeout: "1s",
          secrets: ["APP_SECRET"],
          build_args: { CANARY_ARG: canary },
        },
      },
      {
        forge: { kind: "github", api: github.url, repo: "octo/shop" },
        notify: { slack: { channel: "#deploys" }, webhook: hookUrl },
      },
    );
    apps.push(app.project);
    const site = (healthy: boolean) => {
      rmSync(join(app.dir, "www"), { recursive: true, force: true });
      mkdirSync(join(app.dir, "www"), { recursive: true });
      writeFileSync(
        join(app.dir, "Dockerfile"),
        [
          "FROM tinyforge/busybox:latest",
          "ARG CANARY_ARG",
          'RUN echo "build sees $CANARY_ARG"',
          "COPY www /www",
          'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
          "",
        ].join("\n"),
      );
      writeFileSync(join(app.dir, "www", "index.html"), "hi\n");
      if (healthy) writeFileSync(join(app.dir, "www", "healthz"), "ok\n");
    };
    const env = {
      ...QUIET,
      APP_SECRET: canary,
      GITHUB_TOKEN: GH_TOKEN,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.api,
    };
    const s0 = slack.requests.length;
    const g0 = github.requests.length;
    const h0 = hooks.length;

    site(true);
    commitAll(app.dir, "v1");
    const ok = await app.cli(["deploy", "web", "--stage", "production"], env);
    expect(ok.code).toBe(0);
    // v2 fails its gate (no /healthz): the failure's words go out too.
    site(false);
    commitAll(app.dir, "v2");
    const bad = await app.cli(["deploy", "web", "--stage", "production"], env);
    expect(bad.code).toBe(1);

    const sent = [
      ...slack.requests.slice(s0).map((r) => r.body),
      ...github.requests.slice(g0).map((r) => r.body),
      ...hooks.slice(h0).map((h) => h.body),
    ];
    expect(sent.length).toBeGreaterThan(6);
    expect(github.statuses.map((s) => s.state).slice(-4)).toEqual([
      "pending",
      "success",
      "pending",
      "failure",
    ]);
    expect(hooks.slice(h0).map((h) => h.body.outcome)).toEqual(["success", "failed"]);
    const events = allFiles(join(app.stateDir, app.project))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    // The build did print it, so redaction was put to the test: it reached the events masked.
    expect(events).toContain("build sees ***");
    for (const text of [JSON.stringify(sent), events, ok.stdout + ok.stderr + bad.stdout + bad.stderr])
      expect(text).not.toContain(canary);
  });
});
