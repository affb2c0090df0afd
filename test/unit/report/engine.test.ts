// The reporters on the engine (over its in-memory fakes) talking to the local forge and Slack
// fakes: what each sees of a successful, a failed and an unchanged deploy, in order.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GitHubForge } from "../../../src/adapters/forge/github.js";
import { GitLabForge } from "../../../src/adapters/forge/gitlab.js";
import { SlackApiNotifier } from "../../../src/adapters/notify/slack-api.js";
import { SlackWebhookNotifier } from "../../../src/adapters/notify/slack-webhook.js";
import type { DeployHooks } from "../../../src/deploy/hooks.js";
import { makeRedactor } from "../../../src/events/redact.js";
import { ChatReporter } from "../../../src/report/chat.js";
import { CommitStatusReporter } from "../../../src/report/commit-status.js";
import { DeploymentReporter } from "../../../src/report/github-deployment.js";
import { disposeAll, harness, imageOf, V1, V2 } from "../../fakes/engine.js";
import { FakeGitHub } from "../../fakes/github-server.js";
import { FakeGitLab } from "../../fakes/gitlab-server.js";
import { FakeSlack } from "../../fakes/slack-server.js";

const TOKEN = "tok_engine_0123456789";
const github = new FakeGitHub(TOKEN);
const gitlab = new FakeGitLab(TOKEN);
const slack = new FakeSlack(TOKEN);
beforeAll(async () => {
  await github.start();
  await gitlab.start();
  await slack.start();
});
afterAll(async () => {
  await github.stop();
  await gitlab.stop();
  await slack.stop();
});
afterEach(() => {
  disposeAll();
  github.mode = gitlab.mode = slack.mode = "ok";
});

const context = () => "tinyforge";

function withReporters(secret?: string) {
  const h = harness(secret ? { workload: { secrets: ["APP_KEY"] }, secrets: { APP_KEY: secret } } : {});
  const redact = makeRedactor([TOKEN, ...(secret ? [secret] : [])]);
  const gh = new GitHubForge(github.url, "octo/shop", TOKEN, 500);
  const hooks: DeployHooks[] = [
    new CommitStatusReporter(gh, context, redact),
    new DeploymentReporter(gh, redact),
    new CommitStatusReporter(new GitLabForge(gitlab.api, "group/shop", TOKEN, 500), context, redact),
    new ChatReporter(
      new SlackApiNotifier(TOKEN, "#deploys", slack.api, 500),
      redact,
      (sha) => `https://gh/c/${sha}`,
    ),
  ];
  h.ctx.hooks = hooks;
  return h;
}

describe("reporters on a deploy", () => {
  it("success: pending then success on each forge, a deployment, one Slack message kept up to date", async () => {
    const h = withReporters();
    const posts0 = slack.messages.length;
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("success");
    expect(github.statuses.filter((s) => s.sha === V1)).toEqual([
      {
        sha: V1,
        state: "pending",
        context: "tinyforge",
        description: "Deploying web to production (blue-green)",
      },
      {
        sha: V1,
        state: "success",
        context: "tinyforge",
        description: expect.stringMatching(/^Deployed web to production in /),
        target_url: r.url,
      },
    ]);
    expect(gitlab.statuses.filter((s) => s.sha === V1).map((s) => [s.status, s.name, s.target_url])).toEqual([
      ["pending", "tinyforge", null],
      ["success", "tinyforge", r.url],
    ]);
    const d = github.deployments.filter((x) => x.sha === V1);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ environment: "production", transient_environment: false });
    expect(d[0]!.statuses.map((s) => [s.state, s.environment_url])).toEqual([
      ["in_progress", undefined],
      ["success", r.url],
    ]);
    // One message: posted at start, updated after each step and once more at the end.
    expect(slack.messages.length - posts0).toBe(1);
    const m = slack.messages.at(-1)!;
    // The lock step ends before the deploy is known to really start: observers hear of the rest.
    expect(m.history).toHaveLength(1 + r.steps.filter((st) => st.name !== "lock").length + 1);
    expect(m.history[0]!.text).toBe(`⏳ Deploying shop/web to production: ${V1.slice(0, 7)}`);
    expect(m.text).toMatch(/^✅ Deployed shop\/web to production: 1111111 in /);
    expect(JSON.stringify(m.blocks)).toContain(`<https://gh/c/${V1}|1111111>`);
  });

  it("a tagged deploy is a transient stage/tag deployment", async () => {
    const h = withReporters();
    await h.deploy(V1, { tag: "pr-9" });
    expect(github.deployments.at(-1)).toMatchObject({
      environment: "production/pr-9",
      transient_environment: true,
    });
  });

  it("failure: pending then failure, the deployment fails, Slack says why", async () => {
    const h = withReporters();
    await h.deploy(V1);
    h.docker.behaviour = (image) => (image === imageOf(V2) ? "unhealthy" : "healthy");
    const r = await h.deploy(V2);
    expect(r.outcome).toBe("failed");
    expect(github.statuses.filter((s) => s.sha === V2).map((s) => [s.state, s.target_url])).toEqual([
      ["pending", undefined],
      ["failure", undefined],
    ]);
    expect(gitlab.statuses.filter((s) => s.sha === V2).map((s) => s.status)).toEqual(["pending", "failed"]);
    expect(github.deployments.at(-1)!.statuses.map((s) => s.state)).toEqual(["in_progress", "failure"]);
    expect(slack.messages.at(-1)!.text).toMatch(/^❌ Deploy of shop\/web to production failed/);
    expect(JSON.stringify(slack.messages.at(-1)!.blocks)).toContain(r.error!.code);
  });

  it("unchanged: nothing is sent anywhere", async () => {
    const h = withReporters();
    await h.deploy(V1);
    const before = [github.requests.length, gitlab.requests.length, slack.requests.length];
    expect((await h.deploy(V1)).outcome).toBe("unchanged");
    expect([github.requests.length, gitlab.requests.length, slack.requests.length]).toEqual(before);
  });

  it("forges answering 500, or reflecting the token: the deploy succeeds, warnings name the status", async () => {
    const h = withReporters();
    github.mode = 500;
    gitlab.mode = "reflect";
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("success");
    const warnings = h.events.filter((e) => e.step === "report" && e.level === "warn").map((e) => e.msg);
    // Each reporter has its own queue: their warnings interleave in no fixed order, but all come.
    expect([...warnings].sort()).toEqual([
      "commit status: GitHub answered HTTP 500",
      "commit status: GitHub answered HTTP 500",
      "commit status: GitLab answered HTTP 401",
      "commit status: GitLab answered HTTP 401",
      "deployment: GitHub answered HTTP 500",
    ]);
    expect(JSON.stringify(h.events)).not.toContain(TOKEN);
  });

  it("Slack failing at the start still gets the result: posted as a message of its own", async () => {
    const h = harness();
    const real = new SlackApiNotifier(TOKEN, "#deploys", slack.api, 500);
    let posts = 0;
    const flaky = {
      kind: "slack",
      updatable: true,
      post: (m: Parameters<typeof real.post>[0]) =>
        posts++ === 0 ? Promise.reject(new Error("down")) : real.post(m),
      update: real.update.bind(real),
    };
    h.ctx.hooks = [new ChatReporter(flaky, (t) => t)];
    const p0 = slack.messages.length;
    expect((await h.deploy(V1)).outcome).toBe("success");
    const after = slack.messages.slice(p0);
    expect(after).toHaveLength(1);
    expect(after[0]!.history).toHaveLength(1);
    expect(after[0]!.text).toMatch(/^✅ Deployed/);
    expect(h.events.filter((e) => e.step === "report").map((e) => e.msg)).toEqual(["slack: down"]);
  });

  it("an incoming webhook posts the result once, at the end", async () => {
    const h = harness();
    h.ctx.hooks = [new ChatReporter(new SlackWebhookNotifier(slack.webhookUrl, 500), (t) => t)];
    const n0 = slack.webhookPosts.length;
    await h.deploy(V1);
    expect(slack.webhookPosts.slice(n0).map((p) => p.text.slice(0, 11))).toEqual(["✅ Deployed "]);
  });

  it("a secret never reaches a forge or Slack", async () => {
    const secret = "canary-Secret-Value-77";
    const h = withReporters(secret);
    h.docker.behaviour = () => "unhealthy";
    await h.deploy(V1);
    for (const f of [github, gitlab, slack])
      expect(JSON.stringify(f.requests.map((r) => r.body))).not.toContain(secret);
  });
});
