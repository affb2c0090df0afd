// `/deploy … cancel-bake` through the bot, over the fake engine: from Slack's signed command and
// from a PR comment to the deploy operation's cancelBake; and when the bake in progress is the
// bot's own deploy of that workload+stage, ahead of it in the bot's queue, that bake ends (its
// release reverts, it fails "bake cancelled … (cancelled by deploy …)") and the chat deploy runs
// next, as `tinyforge deploy --cancel-bake` does against another process's bake.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { parseBotConfig } from "../../../bot/config.js";
import { ForgeFlows } from "../../../bot/forge/flows.js";
import { PreviewComments } from "../../../bot/forge/preview.js";
import { Tasks } from "../../../bot/forge/tasks.js";
import { silentLogger } from "../../../bot/forge/types.js";
import { KeyedQueue } from "../../../bot/queue.js";
import { BotRunner, type RepoSource } from "../../../bot/runner.js";
import { createSlackHandler, type SlackHandler } from "../../../bot/slack/index.js";
import type { HostPool } from "../../../src/adapters/ssh-pool.js";
import type { Operation } from "../../../src/app/operation.js";
import type { DeployEvent } from "../../../src/state/model.js";
import type { DeployResult } from "../../../src/deploy/types.js";
import { FakeHost } from "../../fakes/host.js";
import { FakeSlack, sendToApp, slashCommandBody } from "../../fakes/slack-server.js";
import { FakeRepoApi } from "./fake-repo-api.js";

// Every operation the bot hands to the application layer, with what it answered.
const ran = vi.hoisted(() => [] as Array<{ op: Operation; results?: DeployResult[] }>);
vi.mock("../../../src/app/execute.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../src/app/execute.js")>();
  const execute = (async (...args: Parameters<typeof real.execute>) => {
    const entry: (typeof ran)[number] = { op: args[1] };
    ran.push(entry);
    const out = await real.execute(...args);
    if (args[1].kind === "deploy") entry.results = out as DeployResult[];
    return out;
  }) as typeof real.execute;
  return { ...real, execute };
});

const SHA = { main: "1".repeat(40), v2: "2".repeat(40), v3: "3".repeat(40) };
/** The release a deploy's op made, by its commit. */
const resultOf = (sha: string) => ran.find((r) => r.op.kind === "deploy" && r.op.sha === sha)?.results?.[0];
const opOf = (sha: string) => ran.find((r) => r.op.kind === "deploy" && r.op.sha === sha)?.op;

/** tinyforge.yml at each commit: v2 bakes for 30 s; v3's own bake is a second long. */
const source: RepoSource = {
  resolveRef: async (_repo, ref) => {
    const sha = ref === "HEAD" ? SHA.main : SHA[ref as keyof typeof SHA];
    if (!sha) throw new Error(`No commit found for the ref ${ref}`);
    return sha;
  },
  readFile: async (_repo, path, sha) =>
    path !== "tinyforge.yml"
      ? undefined
      : stringify({
          project: "shop",
          stages: { production: { branch: "main" }, preview: { pull_requests: true } },
          workloads: {
            web: {
              source: "image",
              image: "registry.example.com/shop/web:{sha}",
              port: 8080,
              healthcheck: { path: "/healthz", interval: "1s" },
              drain: "0ms",
              bake: { for: sha === SHA.v3 ? "1s" : "30s", probe: { path: "/healthz", every: "100ms" } },
            },
          },
        }),
  fetchTree: async () => {
    throw new Error("image workloads need no tree");
  },
};

const host = new FakeHost({ name: "a" });
// Production through #deploys only: a channel grant may deploy, and so end a bake, but not force.
const config = parseBotConfig(
  stringify({
    projects: {
      shop: {
        repo: "octo/shop",
        hosts: ["ssh://deploy@a"],
        proxy: { driver: "none" },
        allow: { production: { slack_channels: ["C0DEPLOYS1"] } },
      },
    },
  }),
);
const events: DeployEvent[] = [];
const runner = new BotRunner({
  config,
  env: {},
  source: () => source,
  queue: new KeyedQueue(),
  pool: { acquire: async () => host } as unknown as HostPool,
  onEvent: (_p, e) => void events.push(e),
});

describe("Slack: /deploy … cancel-bake", () => {
  const TOKEN = "xoxb-1111-2222-CancelBakeUnit";
  const SECRET = "cancel-bake-signing-secret-0123";
  const slack = new FakeSlack(TOKEN);
  const quiet = () => {};
  const logger = {
    debug: quiet,
    info: quiet,
    warn: quiet,
    error: quiet,
    setLevel: quiet,
    getLevel: () => "error" as never,
    setName: quiet,
  };
  let handler: SlackHandler;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    await slack.start();
    const env = { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN };
    handler = createSlackHandler({
      config,
      runner,
      source: () => source,
      env,
      slackApiUrl: slack.api,
      logger,
    });
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/slack/events`;
  });
  afterAll(async () => {
    await handler?.whenIdle();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await slack.stop();
    host.dispose();
  });

  const send = async (text: string) => {
    const answer = await sendToApp(
      url,
      slashCommandBody({ text, user: "U0BOB00001", channel: "C0DEPLOYS1" }),
      SECRET,
    );
    expect(answer.status).toBe(200);
  };

  it("ends the bot's own bake in progress: that deploy reverts and fails, then this one runs", async () => {
    await send("shop/web to production");
    await handler.whenIdle();
    const v1 = resultOf(SHA.main)!;
    expect(v1.outcome).toBe("success"); // the first release: nothing to go back to, no bake

    await send("shop/web to production at v2");
    const deadline = Date.now() + 10_000;
    while (!events.some((e) => e.step === "bake" && e.msg.includes("stands by")) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const t = Date.now();
    await send("shop/web to production at v3 cancel-bake");
    await handler.whenIdle();

    expect(opOf(SHA.v3)).toMatchObject({ kind: "deploy", cancelBake: true, trigger: "chat" });
    expect(opOf(SHA.v2)).not.toHaveProperty("cancelBake");
    const v2 = resultOf(SHA.v2)!;
    const v3 = resultOf(SHA.v3)!;
    expect(v2).toMatchObject({ outcome: "failed", previous: v1.container, error: { code: "bake_failed" } });
    expect(v2.bake?.verdict).toBe("cancelled");
    expect(v2.error?.message).toMatch(
      new RegExp(
        `^bake cancelled: soak \\d+/\\d+ ok, .*\\(cancelled by deploy ${v3.deployId}\\); reverted to ${v1.container}$`,
      ),
    );
    // It ran next, from the old release, without waiting out the 30 s bake.
    expect(v3).toMatchObject({ outcome: "success", previous: v1.container });
    expect(Date.now() - t).toBeLessThan(15_000);

    // The channel's message for it says what the word does.
    const mine = slack.messages.find((m) => m.text.includes(SHA.v3.slice(0, 7)));
    expect(JSON.stringify(mine?.blocks)).toContain("with `cancel-bake` (ends the bake in progress)");
  }, 30_000);

  it("a channel grant may end a bake, but `cancel-bake force` still needs a named user for force", async () => {
    const before = ran.length;
    await send("shop/web to production at v3 cancel-bake force");
    await handler.whenIdle();
    expect(ran.slice(before)).toEqual([]);
    expect(slack.ephemerals.at(-1)?.text).toMatch(/^you may not override the freeze of shop production/);
  });
});

describe("PR comment: /deploy … cancel-bake", () => {
  it("reaches the deploy operation as cancelBake, and the reply says what it did", async () => {
    const tasks = new Tasks(new KeyedQueue(), silentLogger);
    const flows = new ForgeFlows({
      config,
      runner,
      tasks,
      previews: new PreviewComments(silentLogger),
      log: silentLogger,
    });
    const api = new FakeRepoApi();
    api.pulls.set(4, { number: 4, open: true, headSha: SHA.v3, headRef: "feature", headRepo: "octo/shop" });
    const before = ran.length;
    flows.comment(api, {
      issue: 4,
      isPull: true,
      commentId: 55,
      body: "/deploy to production force cancel-bake",
      user: "alice",
      bot: false,
    });
    await tasks.whenIdle();
    expect(ran.slice(before).map((r) => r.op)).toEqual([
      expect.objectContaining({
        kind: "deploy",
        sha: SHA.v3,
        cancelBake: true,
        force: true,
        trigger: "comment",
      }),
    ]);
    expect(api.comments_.at(-1)?.body).toMatch(
      /^@alice `\/deploy` at `3333333` with `cancel-bake` \(ends the bake in progress\):\n\n/,
    );
  }, 30_000);
});
