// A container that prints its secrets as it dies: a multi-line key on stdout and a token on stderr.
// Its last output is kept in the deploy's events (step container-log), and every line of every
// secret is masked wherever those events go: CLI progress, --json, `logs`, `history`, state files;
// and, deployed by the bot, the events API and its live stream, commit statuses and deployments,
// the pull request's comment, the Slack message and the bot's log.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { FakeGitHub } from "../fakes/github-server.js";
import { FakeSlack } from "../fakes/slack-server.js";
import {
  APP_ID,
  appKeys,
  botConfigFileOf,
  botProject,
  captureLog,
  deliverGitHub,
  githubPull,
  INSTALLATION,
  REPO,
  sha,
  start,
  until,
} from "./bot-harness.js";
import { makeApp, projectContainers, removeProject, tb } from "./harness.js";
import { uniqueName } from "./testbed.js";

const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

function allText(dir: string): string {
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .map((p) => (statSync(p).isDirectory() ? allText(p) : readFileSync(p, "utf8")))
    .join("\n");
}

const body = Array.from({ length: 8 }, (_, i) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw${i}gSjAgEAAoIBAQC7`);
const KEY = ["-----BEGIN PRIVATE KEY-----", ...body, "-----END PRIVATE KEY-----"].join("\n");
const TOKEN = "tok-stderr-5f4e3d2c1b0a";
/** Prints both secrets (the key on stdout, the token on stderr) and dies with code 3. */
const leaky = {
  source: "image",
  image: `${tb.registry}/tinyforge/web:v1`,
  port: 8080,
  command: ["/bin/sh", "-c", 'echo starting; printf "%s\\n" "$TLS_KEY"; echo "auth $API_TOKEN" >&2; exit 3'],
  liveness_window: "3s",
  secrets: ["TLS_KEY", "API_TOKEN"],
};

describe("redaction of a dying container's output", () => {
  it("masks every line of a multi-line secret and a stderr secret in every CLI sink, and reports exit code 3", async () => {
    const a = makeApp({
      web: leaky,
    });
    apps.push(a.project);
    const env = { TLS_KEY: KEY, API_TOKEN: TOKEN };
    const d = await a.cli(["deploy", "web", "--stage", "production", "--sha", "1111111"], env);
    expect(d.code, d.stderr).toBe(1);
    expect(d.stdout + d.stderr).toMatch(/code 3\b/);
    const history = await a.cli(["history", "web", "--json"], env);
    const [rec] = JSON.parse(history.stdout) as Array<{ deployId: string }>;
    const logs = await a.cli(["logs", rec!.deployId], env);
    // The output was captured: the check below is not vacuous.
    expect(logs.stdout).toContain("starting");
    expect(logs.stdout).toContain("auth ***");

    const sinks = {
      progress: d.stderr,
      result: d.stdout,
      logs: logs.stdout + logs.stderr,
      history: history.stdout,
      state: allText(join(a.stateDir, a.project)),
    };
    for (const [sink, text] of Object.entries(sinks)) {
      for (const line of [...body, TOKEN]) expect(text, `${sink} holds ${line}`).not.toContain(line);
    }
    expect(await projectContainers(a.project)).toEqual([]);
  });
});

describe("redaction of a dying container's output, deployed by the bot", () => {
  it("masks every line of both secrets in the events API, its live stream, statuses, the PR comment, Slack and the log", async () => {
    const webhookSecret = `whsec-${randomBytes(8).toString("hex")}`;
    const ghToken = `ghs_${randomBytes(12).toString("hex")}`;
    const slackToken = `xoxb-${randomBytes(8).toString("hex")}`;
    const keys = appKeys();
    const github = await new FakeGitHub(ghToken, REPO).start();
    github.app = { id: APP_ID, publicKey: keys.publicKey, installationId: INSTALLATION };
    const slack = await new FakeSlack(slackToken).start();
    const project = uniqueName("bot");
    apps.push(project);
    const logs = captureLog();
    // The operator grants the project both secrets, read from the bot's own environment.
    const grant = { "*": { TLS_KEY: "SHOP_TLS_KEY", API_TOKEN: "SHOP_API_TOKEN" } };
    const bot = await start(
      {
        APP_ID: String(APP_ID),
        PRIVATE_KEY: keys.privateKey,
        WEBHOOK_SECRET: webhookSecret,
        GHE_HOST: github.url.replace("http://", ""),
        GHE_PROTOCOL: "http",
        SLACK_BOT_TOKEN: slackToken,
        SLACK_API_URL: slack.api,
        SHOP_TLS_KEY: KEY,
        SHOP_API_TOKEN: TOKEN,
        // The repo notifies a channel the operator lists (the bot posts there with its own token).
        TINYFORGE_BOT_CONFIG: botConfigFileOf({
          [project]: botProject("github", { secrets: grant, notify_channels: ["C0DEPLOYS1"] }),
        }),
      },
      logs.log,
    );
    const ac = new AbortController();
    try {
      const head = sha();
      const yaml = stringify({
        project,
        stages: { production: { branch: "main" }, preview: { pull_requests: true } },
        notify: { slack: { channel: "C0DEPLOYS1" } },
        workloads: { web: leaky },
      });
      // The events API finds the project's workloads in its config on the default branch.
      github.data.commit(sha(), { "tinyforge.yml": yaml }, "main");
      github.data.commit(head, { "tinyforge.yml": yaml });

      // The live stream, open before the deploy: every frame it sends, as sent.
      const res = await fetch(`${bot.url}/api/workloads/${project}.web/events?level=debug`, {
        headers: { accept: "text/event-stream" },
        signal: ac.signal,
      });
      let sse = "";
      const reading = (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
          sse += decoder.decode(chunk, { stream: true });
      })().catch(() => undefined);
      await until(() => bot.hub.subscribers > 0, 10_000, "the stream to subscribe");

      expect(
        (await deliverGitHub(bot, "pull_request", githubPull("opened", 21, head), webhookSecret)).status,
      ).toBe(200);
      await bot.whenIdle();
      const failed = await until(
        () => github.statuses.find((x) => x.sha === head && x.state === "failure"),
        30_000,
        "the failure status",
      );
      await until(() => sse.includes("container-log"), 10_000, "the container's output on the stream");
      const api = await (
        await fetch(`${bot.url}/api/workloads/${project}.web/events?level=debug&limit=500`)
      ).text();
      ac.abort();
      await reading;

      // The output was captured and reached every sink checked below: the checks are not vacuous.
      expect(api).toContain("starting");
      expect(api).toContain("auth ***");
      expect(sse).toContain("auth ***");
      expect(failed.description).toMatch(/code 3\b/);
      expect(github.comments(21).at(-1)?.body).toContain("❌ failed");
      expect(slack.messages.at(-1)?.text).toContain("failed");

      const sinks = {
        "events API": api,
        "events stream": sse,
        // Statuses, deployments, the PR comment in every version: all GitHub was sent.
        github: JSON.stringify(github.requests.map((r) => r.body)),
        slack: JSON.stringify(slack.requests.map((r) => r.body)),
        "bot log": logs.lines.join("\n"),
      };
      for (const [sink, text] of Object.entries(sinks)) {
        for (const line of [...body, TOKEN]) expect(text, `${sink} holds ${line}`).not.toContain(line);
      }
    } finally {
      ac.abort();
      await bot.whenIdle();
      await bot.close();
      await github.stop();
      await slack.stop();
    }
  });
});
