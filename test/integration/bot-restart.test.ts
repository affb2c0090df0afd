// The bot as its own process, killed (SIGKILL) with one deploy running and two queued behind it,
// then started again on the same state directory: every commit it had accepted ends reported as
// it really ended — the queued ones deployed, the running one settled from its record on the host
// (interrupted, the host put right) — on its commit status and its pull request's comment.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../fakes/github-server.js";
import {
  APP_ID,
  appKeys,
  botConfigFileOf,
  botProject,
  deliverGitHub,
  githubPull,
  INSTALLATION,
  REPO,
  repoConfig,
  sha,
  sshEnv,
  until,
} from "./bot-harness.js";
import { stepStarted } from "./fault-harness.js";
import { get, projectContainers, removeProject, tb } from "./harness.js";
import type { RunningBot } from "../../bot/main.js";

const root = join(import.meta.dirname, "..", "..");
const SECRET = `whsec-${randomBytes(8).toString("hex")}`;
const TOKEN = `ghs_${randomBytes(12).toString("hex")}`;

let github: FakeGitHub;
let env: Record<string, string>;
const rc = repoConfig();
const shop = botProject("github");
const children: ChildProcess[] = [];

beforeAll(async () => {
  const keys = appKeys();
  github = await new FakeGitHub(TOKEN, REPO).start();
  github.app = { id: APP_ID, publicKey: keys.publicKey, installationId: INSTALLATION };
  env = {
    PATH: process.env.PATH ?? "",
    PORT: "0",
    HOST: "127.0.0.1",
    APP_ID: String(APP_ID),
    PRIVATE_KEY: keys.privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.url.replace("http://", ""),
    GHE_PROTOCOL: "http",
    TINYFORGE_BOT_CONFIG: botConfigFileOf({ [rc.project]: shop }),
    TINYFORGE_BOT_STATE_DIR: mkdtempSync(join(tmpdir(), "tf-bot-inbox-")),
    // The killed bot's lease goes stale quickly, so the restarted one need not wait long for it.
    TINYFORGE_LOCK_TTL_MS: "1500",
    ...sshEnv,
  };
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await github?.stop();
  await removeProject(rc.project);
});

/** The bot process from source; resolves once it listens. */
async function botProcess() {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "test/fixtures/bot-process.ts")], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  let stderr = "";
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (d) => {
      stderr += d;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`bot exited: ${stderr}`)));
  });
  // deliverGitHub needs only the URL.
  return { child, exited, stderr: () => stderr, bot: { url } as RunningBot };
}

const statuses = (s: string) => github.statuses.filter((x) => x.sha === s);
const last = (s: string) => statuses(s).at(-1);
const comment = (pr: number) => github.comments(pr)[0]?.body ?? "";

describe("a bot restarted after SIGKILL", () => {
  // A retry on a loaded machine: the kill must land mid-deploy, and each attempt uses new commits.
  it("reports the running deploy as it ended and deploys the two queued ones", {
    retry: 1,
    timeout: 300_000,
  }, async () => {
    const [s1, s2, s3] = [sha(), sha(), sha()];
    // The first one's app takes seconds to answer, so the kill lands while it is still deploying.
    const slow = {
      workloads: {
        web: {
          source: "image",
          image: `${tb.registry}/tinyforge/web:v1`,
          port: tb.webPort,
          command: ["/bin/sh", "-c", `sleep 6; exec httpd -f -p ${tb.webPort} -h /www`],
          healthcheck: { path: "/healthz", retries: 60, interval: "500ms", timeout: "2s" },
          drain: "100ms",
          stop_timeout: "1s",
        },
      },
    };
    github.data.commit(s1, { "tinyforge.yml": rc.yaml("v1", slow) });
    for (const s of [s2, s3]) github.data.commit(s, { "tinyforge.yml": rc.yaml(s === s3 ? "v2" : "v1") });

    const first = await botProcess();
    // Three pull requests: their previews share one workload+stage queue, so they run one at a time.
    for (const [n, s] of [
      [41, s1],
      [42, s2],
      [43, s3],
    ] as const)
      expect(
        (await deliverGitHub(first.bot, "pull_request", githubPull("opened", n, s), SECRET)).status,
      ).toBe(200);
    await until(
      () => statuses(s2).length > 0 && statuses(s3).length > 0,
      60_000,
      "the queued deploys' pending",
    );
    await stepStarted({ stateDir: shop.state_dir, project: rc.project }, s1, "start");
    first.child.kill("SIGKILL");
    await first.exited;
    expect(
      statuses(s1).map((x) => x.state),
      `${JSON.stringify(statuses(s1))}\n${first.stderr()}`,
    ).toEqual(["pending"]);
    expect(statuses(s2).map((x) => x.state)).toEqual(["pending"]);
    expect(statuses(s3).map((x) => x.state)).toEqual(["pending"]);

    const second = await botProcess();
    try {
      await until(
        () =>
          ["failure", "success"].includes(last(s1)?.state ?? "") &&
          last(s2)?.state === "success" &&
          last(s3)?.state === "success",
        180_000,
        `all three commits reported (bot output:\n${second.stderr()})`,
      );
      // The running one never finished: interrupted, and nothing of it is left on the host.
      expect(last(s1)?.state).toBe("failure");
      expect(last(s1)?.description).toMatch(/interrupted during "(start|gate)"/);
      expect(comment(41)).toContain("interrupted");
      // The queued ones deployed, each PR's preview serving its own commit.
      expect((await get(last(s2)!.target_url!)).body).toBe("v1");
      expect((await get(last(s3)!.target_url!)).body).toBe("v2");
      // The PR comment is edited after the status: wait for its row rather than race it.
      const row = (pr: number, s: string) => comment(pr).includes(`\`${s.slice(0, 7)}\` | ✅ deployed`);
      await until(() => row(42, s2) && row(43, s3), 30_000, "the PR comments' deployed rows");
      expect(comment(42)).toContain(`\`${s2.slice(0, 7)}\` | ✅ deployed`);
      expect(comment(43)).toContain(`\`${s3.slice(0, 7)}\` | ✅ deployed`);
      expect(github.comments(41)).toHaveLength(1);
      // Nothing left open in the inbox: a third start would resume nothing.
      const deadline = Date.now() + 60_000;
      let accepted: number | undefined;
      while (Date.now() < deadline) {
        accepted = (await (await fetch(`${second.bot.url}/healthz`)).json()).accepted;
        if (accepted === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(accepted).toBe(0);
      const live = (await projectContainers(rc.project)).filter((c) => c.State === "running");
      expect(live.map((c) => c.Labels["dev.tinyforge.tag"]).sort()).toEqual(["pr-42", "pr-43"]);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});
