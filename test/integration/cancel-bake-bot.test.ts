// `/deploy … cancel-bake` in Slack on the testbed: the bot deploys over the real sshd and dockerd;
// while its own deploy of a release bakes (a 60 s window), a chat deploy with `cancel-bake` ends
// that bake — the baking release is reverted and its deploy fails "bake cancelled … (cancelled by
// deploy …)" — and then runs, long before the window would have ended.
import { readdirSync, readFileSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBotConfig } from "../../bot/config.js";
import { KeyedQueue } from "../../bot/queue.js";
import { BotRunner, type RepoSource } from "../../bot/runner.js";
import { createSlackHandler, type SlackHandler } from "../../bot/slack/index.js";
import type { DeployRecord } from "../../src/state/model.js";
import { FakeSlack, sendToApp, slashCommandBody } from "../fakes/slack-server.js";
import { fastHealth, projectContainers, removeProject, sshEnv, sshHost, tb } from "./harness.js";
import { uniqueName } from "./testbed.js";

const TOKEN = "xoxb-1111-2222-CancelBakeBot";
const SECRET = "9a742231b10e8888abcd99yyyzzz85a6";
const CAROL = "U0CAROL001";
const DEPLOYS = "C0DEPLOYS1";
const project = uniqueName("cbk");
const stateDir = mkdtempSync(join(tmpdir(), "tf-state-"));
const SHA = { main: "1".repeat(40), v2: "2".repeat(40), v3: "3".repeat(40) };

/** main serves web:v1; v2 is web:v2 baked for 60 s; v3 is web:v2 again, with a 1 s bake of its own. */
class MemoryRepo implements RepoSource {
  async resolveRef(_repo: string, ref: string): Promise<string> {
    const sha = ref === "HEAD" ? SHA.main : SHA[ref as keyof typeof SHA];
    if (!sha) throw new Error(`No commit found for the ref ${ref}`);
    return sha;
  }
  async readFile(_repo: string, path: string, sha: string): Promise<string | undefined> {
    if (path !== "tinyforge.yml") return undefined;
    return stringify({
      project,
      stages: { production: { branch: "main" } },
      workloads: {
        web: {
          source: "image",
          image: `${tb.registry}/tinyforge/web:${sha === SHA.main ? "v1" : "v2"}`,
          port: tb.webPort,
          healthcheck: fastHealth,
          drain: "100ms",
          stop_timeout: "1s",
          bake: { for: sha === SHA.v3 ? "1s" : "60s", probe: { path: fastHealth.path, every: "250ms" } },
        },
      },
    });
  }
  async fetchTree(): Promise<void> {
    throw new Error("image workloads need no tree");
  }
}

const records = (): DeployRecord[] => {
  const dir = join(stateDir, project, "deploys");
  return readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as DeployRecord);
};
const recordOf = (sha: string) => records().find((r) => r.sha === sha);
const baking = () => {
  try {
    const file = join(stateDir, project, "instances", "web.production.json");
    return JSON.parse(readFileSync(file, "utf8")).bake !== undefined;
  } catch {
    return false;
  }
};

describe("cancel-bake from Slack, on the testbed", () => {
  const botConfig = parseBotConfig(
    stringify({
      projects: {
        [project]: {
          repo: `octo/${project}`,
          hosts: [sshHost],
          state_dir: stateDir,
          // A channel grant: it may deploy production, so it may end a bake there.
          allow: { production: { slack_channels: [DEPLOYS] } },
        },
      },
    }),
  );
  const slack = new FakeSlack(TOKEN);
  let handler: SlackHandler;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    await slack.start();
    const env = { ...sshEnv, SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN };
    const repo = new MemoryRepo();
    const runner = new BotRunner({ config: botConfig, env, source: () => repo, queue: new KeyedQueue() });
    const quiet = () => {};
    handler = createSlackHandler({
      config: botConfig,
      runner,
      source: () => repo,
      env,
      slackApiUrl: slack.api,
      logger: {
        debug: quiet,
        info: quiet,
        warn: quiet,
        error: quiet,
        setLevel: quiet,
        getLevel: () => "warn" as never,
        setName: quiet,
      },
    });
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/slack/events`;
  });
  afterAll(async () => {
    await handler?.whenIdle();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await slack.stop();
    await removeProject(project);
  });

  const send = async (text: string) => {
    const answer = await sendToApp(url, slashCommandBody({ text, user: CAROL, channel: DEPLOYS }), SECRET);
    expect(answer.status).toBe(200);
  };

  it("the bot's own baking deploy reverts and fails, cancelled by the chat deploy, which then runs", async () => {
    await send(`${project}/web to production`);
    await handler.whenIdle();
    const v1 = recordOf(SHA.main)!;
    expect(v1.outcome).toBe("success");

    await send(`${project}/web to production at v2`);
    const deadline = Date.now() + 60_000;
    while (!baking() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(baking()).toBe(true);
    const t = Date.now();
    await send(`${project}/web to production at v3 cancel-bake`);
    await handler.whenIdle();

    const v2 = recordOf(SHA.v2)!;
    const v3 = recordOf(SHA.v3)!;
    expect(v2).toMatchObject({ outcome: "failed", previous: v1.container, error: { code: "bake_failed" } });
    expect(v2.bake?.verdict).toBe("cancelled");
    expect(v2.error?.message).toMatch(
      new RegExp(`^bake cancelled: soak \\d+/\\d+ ok, .*\\(cancelled by deploy ${v3.deployId}\\)`),
    );
    expect(v3).toMatchObject({ outcome: "success", previous: v1.container, trigger: "chat" });
    expect(Date.now() - t).toBeLessThan(40_000);
    const running = (await projectContainers(project))
      .filter((c) => c.State === "running")
      .map((c) => c.Names[0]!.slice(1));
    expect(running).toEqual([v3.container]);

    // The channel saw why: the cancelled deploy's thread names the bake's end, the new one the word.
    const said = JSON.stringify(slack.messages.map((m) => [m.text, m.blocks]));
    expect(said).toContain("bake cancelled");
    expect(said).toContain("with `cancel-bake` (ends the bake in progress)");
  }, 180_000);
});
