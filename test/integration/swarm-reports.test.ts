// A deploy to a swarm+ssh:// host tells the forge and Slack what a deploy to a plain host tells
// them: the same commit statuses (pending, then success with the URL, or failure) and the same
// Slack message (posted at start, updated, ended with the outcome), for a release that serves and
// for one whose health check fails (Swarm rolls it back). The forge and Slack are the local fakes;
// the hosts are the testbed's sshd and its single-node Swarm, each with its own Caddy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../fakes/github-server.js";
import { FakeSlack } from "../fakes/slack-server.js";
import { type App, makeApp, parseJsonLines, removeProject, sshHost, tb } from "./harness.js";
import { DOMAIN, ptb, webWorkload } from "./proxy-harness.js";

interface SwarmTestbed {
  host: string;
  network: string;
  caddyAdmin: string;
  caddyServer: string;
}
const sw = (tb as typeof tb & { swarm?: SwarmTestbed }).swarm;
if (!sw) throw new Error(".testbed/env.json has no swarm: run npm run testbed (scripts/testbed.sh up) again");

/** Every forge and Slack name the test machine exports is cleared: only what a test sets counts. */
const QUIET = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => /^(GITHUB_|GITEA_|GITLAB_|CI_|SLACK_)/.test(k))
    .map((k) => [k, ""]),
);
const SLACK_TOKEN = "xoxb-4242-4242-SwarmReportsTok";
const GH_TOKEN = "gh_swarm_reports_Qm3Zr8Vt";
const slack = new FakeSlack(SLACK_TOKEN);
const github = new FakeGitHub(GH_TOKEN, "octo/shop");
const env = { ...QUIET, SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_API_URL: slack.api, GITHUB_TOKEN: GH_TOKEN };

const apps: App[] = [];
beforeAll(async () => {
  await slack.start();
  await github.start();
});
afterAll(async () => {
  for (const app of apps)
    await app.cli(["teardown", "web", "--stage", "production"], env).catch(() => undefined);
  for (const app of apps) await removeProject(app.project).catch(() => undefined);
  await slack.stop();
  await github.stop();
});

function appOn(target: "plain" | "swarm"): App {
  const app = makeApp(
    {
      web: webWorkload({
        healthcheck: { path: "/healthz", retries: 2, interval: "1s", timeout: "2s" },
        stop_timeout: "1s",
      }),
    },
    {
      domain: DOMAIN,
      forge: { kind: "github", api: github.url, repo: "octo/shop" },
      notify: { slack: { channel: "#deploys" } },
      ...(target === "swarm"
        ? {
            hosts: [sw!.host],
            swarm: { network: sw!.network, monitor: "2s" },
            proxy: { driver: "caddy", admin: sw!.caddyAdmin, server: sw!.caddyServer },
          }
        : { hosts: [sshHost], proxy: { driver: "caddy", admin: ptb.caddy.admin, server: ptb.caddy.server } }),
    },
  );
  apps.push(app);
  return app;
}

/** What the forge and Slack were told about one deploy, with the names that differ per run taken out. */
async function told(app: App, ref: string, sha: string) {
  const m0 = slack.messages.length;
  const r = await app.cli(
    ["deploy", "web", "--stage", "production", "--ref", ref, "--sha", sha, "--json"],
    env,
  );
  const res = parseJsonLines(r.stdout)[0] as { outcome: string; url: string | null };
  const posted = slack.messages.slice(m0);
  const plain = (t: string) =>
    t
      .replaceAll(app.project, "PROJECT")
      .replaceAll(res.url ?? "\0", "URL")
      .replace(/ in \d+(\.\d+)?m?s\b/g, " in T");
  return {
    code: r.code,
    outcome: res.outcome,
    statuses: github.statuses
      .filter((s) => s.sha === sha)
      .map((s) => ({
        state: s.state,
        context: s.context,
        urlIsTheDeploys: s.target_url === (res.url ?? undefined),
      })),
    messages: posted.length,
    first: plain(posted[0]?.history[0]?.text ?? ""),
    last: plain(posted[0]?.text ?? "").replace(/: .*$/s, ""),
    outcomeField: JSON.stringify(posted[0]?.blocks ?? []).match(/\*Outcome\*\\n(\w+)/)?.[1],
  };
}

describe("a swarm+ssh:// host reports like a plain host", () => {
  it("a release that serves, then one whose health check fails: the same statuses and Slack messages", async () => {
    const plain = appOn("plain");
    const swarm = appOn("swarm");
    const okPlain = await told(plain, "v1", "5151515151515151515151515151515151515151");
    const okSwarm = await told(swarm, "v1", "5252525252525252525252525252525252525252");
    expect(okPlain.outcome).toBe("success");
    expect(okPlain.statuses).toEqual([
      { state: "pending", context: "tinyforge", urlIsTheDeploys: false },
      { state: "success", context: "tinyforge", urlIsTheDeploys: true },
    ]);
    expect(okSwarm).toEqual({ ...okPlain, first: okPlain.first.replace("5151515", "5252525") });

    const badPlain = await told(plain, "unhealthy", "5353535353535353535353535353535353535353");
    const badSwarm = await told(swarm, "unhealthy", "5454545454545454545454545454545454545454");
    expect(badPlain.code).toBe(1);
    expect(badPlain.statuses.map((s) => s.state)).toEqual(["pending", "failure"]);
    expect(badSwarm).toEqual({ ...badPlain, first: badPlain.first.replace("5353535", "5454545") });
  });
});
