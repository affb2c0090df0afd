// GET /metrics: Prometheus' text format, counting what the bot really did — a push deployed on
// the testbed shows as one deploy of its project, stage and outcome, with its duration, its steps
// and the latency from the webhook to its pending status — and behind TINYFORGE_API_TOKEN.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBot } from "../../bot/main.js";
import { FakeGitHub } from "../fakes/github-server.js";
import {
  APP_ID,
  appKeys,
  botConfigFile,
  deliverGitHub,
  githubPush,
  INSTALLATION,
  REPO,
  repoConfig,
  sha,
  start,
} from "./bot-harness.js";
import { removeProject } from "./harness.js";

const SECRET = `whsec-${randomBytes(8).toString("hex")}`;
const TOKEN = `ghs_${randomBytes(12).toString("hex")}`;
const API_TOKEN = `api-${randomBytes(12).toString("hex")}`;

let github: FakeGitHub;
let bot: RunningBot;
const rc = repoConfig();

beforeAll(async () => {
  const keys = appKeys();
  github = await new FakeGitHub(TOKEN, REPO).start();
  github.app = { id: APP_ID, publicKey: keys.publicKey, installationId: INSTALLATION };
  bot = await start({
    APP_ID: String(APP_ID),
    PRIVATE_KEY: keys.privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.url.replace("http://", ""),
    GHE_PROTOCOL: "http",
    TINYFORGE_BOT_CONFIG: botConfigFile("github", rc.project),
    TINYFORGE_API_TOKEN: API_TOKEN,
  });
});

afterAll(async () => {
  await bot?.whenIdle();
  await bot?.close();
  await github?.stop();
  await removeProject(rc.project);
});

const scrape = (headers: Record<string, string> = {}) =>
  fetch(`${bot.url}/metrics`, { headers, signal: AbortSignal.timeout(10_000) });
const authorized = { authorization: `Bearer ${API_TOKEN}` };

/** The value of one sample line, by its name and labels as Prometheus writes them. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("counts a deploy by project, stage and outcome, with its durations and webhook latency", async () => {
    const s1 = sha();
    github.data.commit(s1, { "tinyforge.yml": rc.yaml("v1") }, "main");
    expect((await deliverGitHub(bot, "push", githubPush(s1), SECRET)).status).toBe(200);
    await bot.whenIdle();
    expect(github.statuses.filter((x) => x.sha === s1).map((x) => x.state)).toEqual(["pending", "success"]);

    const res = await scrape(authorized);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const labels = `project="${rc.project}",stage="production",outcome="success"`;
    expect(sample(text, `tinyforge_deploys_total{${labels}}`)).toBe(1);
    expect(sample(text, `tinyforge_deploy_duration_seconds_count{${labels}}`)).toBe(1);
    expect(sample(text, `tinyforge_deploy_duration_seconds_sum{${labels}}`)).toBeGreaterThan(0);
    for (const step of ["lock", "pull", "start", "gate"])
      expect(
        sample(text, `tinyforge_deploy_step_duration_seconds_count{project="${rc.project}",step="${step}"}`),
      ).toBe(1);
    expect(sample(text, "tinyforge_webhook_to_pending_seconds_count")).toBe(1);
    expect(sample(text, "tinyforge_queue_depth")).toBe(0);
    // The pool keeps the host's connection open for the next push.
    expect(sample(text, "tinyforge_ssh_connections_open")).toBe(1);
  });

  it("answers 401 without the API token, and with a wrong one", async () => {
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(await none.text()).not.toContain("tinyforge_deploys_total");
    expect((await scrape({ authorization: "Bearer nope" })).status).toBe(401);
  });
});
