// Which reporters a deploy gets from the config and the environment, and where they point.
import { describe, expect, it } from "vitest";
import type { Credentials } from "../../../src/app/credentials.js";
import { credentialsFromEnv, forgeFromEnv } from "../../../src/app/env.js";
import { commitUrl, forgePlan, reportersFor, webFromApi } from "../../../src/app/reporters.js";
import { type Config, type ConfigInput, configSchema } from "../../../src/config/schema.js";
import { Notice } from "../../../src/report/notice.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

function session(
  env: Record<string, string | undefined>,
  top: Partial<ConfigInput> = {},
  workload = {},
): Session {
  const config = configSchema.parse({
    project: "shop",
    stages: { production: { branch: "main" } },
    workloads: { web: { source: "image", image: "x/web:{sha}", port: 8080, ...workload } },
    ...top,
  });
  return { config, credentials: credentialsFromEnv(env) };
}

interface Session {
  config: Config;
  credentials: Credentials;
}

const same = (t: string) => t;
const hooksOf = (s: Session, workload = "web") => reportersFor(s.config, s.credentials, workload, same);
const names = (s: Session) => hooksOf(s).map((h) => h.name);

/** What a Notice says: it rejects when the deploy starts. */
async function notices(s: Session): Promise<string[]> {
  return hooksOf(s)
    .filter((h) => h instanceof Notice)
    .map((h) => `${h.name}: ${h.notice}`);
}

describe("forge plan", () => {
  it("GitHub Actions: everything from the environment", () => {
    const env = {
      GITHUB_TOKEN: "ghs_x",
      GITHUB_REPOSITORY: "octo/shop",
      GITHUB_API_URL: "https://api.github.com",
      GITHUB_SERVER_URL: "https://github.com",
    };
    const plan = forgePlan(undefined, forgeFromEnv(env));
    expect(plan).toEqual({
      kind: "github",
      api: "https://api.github.com",
      repo: "octo/shop",
      token: "ghs_x",
      tokenName: "GITHUB_TOKEN",
      web: "https://github.com",
    });
    expect(commitUrl(plan, SHA)).toBe(`https://github.com/octo/shop/commit/${SHA}`);
  });

  it("Gitea Actions sets GitHub's names; its token may come as GITHUB_TOKEN", () => {
    const env = {
      GITEA_ACTIONS: "true",
      GITHUB_TOKEN: "gitea_job_token",
      GITHUB_REPOSITORY: "octo/shop",
      GITHUB_API_URL: "https://git.example/api/v1",
      GITHUB_SERVER_URL: "https://git.example",
    };
    expect(forgePlan(undefined, forgeFromEnv(env))).toEqual({
      kind: "gitea",
      api: "https://git.example/api/v1",
      repo: "octo/shop",
      token: "gitea_job_token",
      tokenName: "GITEA_TOKEN",
      web: "https://git.example",
    });
  });

  it("GitLab CI: its own names; commit links have /-/", () => {
    const env = {
      GITLAB_CI: "true",
      GITLAB_TOKEN: "glpat-x",
      CI_API_V4_URL: "https://gitlab.example/api/v4",
      CI_PROJECT_PATH: "group/sub/shop",
      CI_SERVER_URL: "https://gitlab.example",
    };
    const plan = forgePlan(undefined, forgeFromEnv(env));
    expect(plan).toMatchObject({
      kind: "gitlab",
      api: "https://gitlab.example/api/v4",
      repo: "group/sub/shop",
    });
    expect(commitUrl(plan, SHA)).toBe(`https://gitlab.example/group/sub/shop/-/commit/${SHA}`);
  });

  it("the config wins over the environment, and its API names the web address", () => {
    const plan = forgePlan(
      { kind: "gitea", api: "https://code.example/api/v1/", repo: "team/app" },
      forgeFromEnv({
        GITEA_TOKEN: "t",
        GITHUB_API_URL: "https://api.github.com",
        GITHUB_SERVER_URL: "https://github.com",
      }),
    );
    expect(plan).toMatchObject({
      api: "https://code.example/api/v1/",
      repo: "team/app",
      web: "https://code.example",
    });
  });

  it("derives web addresses from API bases", () => {
    expect(webFromApi("github", "https://api.github.com/")).toBe("https://github.com");
    expect(webFromApi("github", "https://ghe.example/api/v3")).toBe("https://ghe.example");
    expect(webFromApi("gitea", "http://127.0.0.1:3000/api/v1")).toBe("http://127.0.0.1:3000");
    expect(webFromApi("gitlab", "https://gitlab.com/api/v4")).toBe("https://gitlab.com");
  });

  it("a lone GITLAB_TOKEN or GITEA_TOKEN picks its forge", () => {
    expect(forgePlan(undefined, forgeFromEnv({ GITLAB_TOKEN: "x" })).kind).toBe("gitlab");
    expect(forgePlan(undefined, forgeFromEnv({ GITEA_TOKEN: "x" })).kind).toBe("gitea");
    expect(forgePlan(undefined, forgeFromEnv({})).kind).toBe("github");
  });
});

describe("reporters for a deploy", () => {
  const gh = { GITHUB_TOKEN: "ghs_x", GITHUB_REPOSITORY: "octo/shop" };

  it("GitHub: a commit status and a deployment", () => {
    expect(names(session(gh))).toEqual(["commit status", "deployment"]);
  });

  it("Gitea and GitLab: a commit status", () => {
    expect(
      names(session({ GITEA_TOKEN: "t" }, { forge: { kind: "gitea", api: "http://g/api/v1", repo: "o/r" } })),
    ).toEqual(["commit status"]);
    expect(names(session({ GITLAB_TOKEN: "t" }, { forge: { kind: "gitlab", repo: "g/s/p" } }))).toEqual([
      "commit status",
    ]);
  });

  it("report_commit_status: false sends nothing and says nothing", () => {
    expect(hooksOf(session(gh, {}, { report_commit_status: false }))).toEqual([]);
  });

  it("no forge, no token, no CI: nobody asked for a status, so nothing is sent or said", () => {
    expect(names(session({}))).toEqual([]);
  });

  it("in a forge's CI (or with a status context) but no token: says so once, sends nothing", async () => {
    for (const s of [
      session({ GITHUB_ACTIONS: "true" }),
      session({ GITEA_ACTIONS: "true" }),
      session({ GITHUB_REPOSITORY: "o/r" }),
      session({}, { stages: { production: { branch: "main", status_context: "deploy" } } }),
    ]) {
      expect(names(s)).toEqual(["commit status"]);
      expect(await notices(s)).toEqual([
        expect.stringMatching(
          /^commit status: not sent: (no forge token in the environment|GITEA_TOKEN is not set)/,
        ),
      ]);
    }
  });

  it("says what is missing when the forge cannot be reached", async () => {
    expect(await notices(session({}, { forge: { kind: "gitlab", repo: "g/p" } }))).toEqual([
      "commit status: not sent: GITLAB_TOKEN is not set",
    ]);
    expect(await notices(session({ GITHUB_TOKEN: "x" }))).toEqual([
      "commit status: not sent: no repository (set forge.repo, or GITHUB_REPOSITORY)",
    ]);
    expect(await notices(session({ GITEA_TOKEN: "x" }, { forge: { kind: "gitea", repo: "o/r" } }))).toEqual([
      "commit status: not sent: no API URL (set forge.api, e.g. https://gitea.example.com/api/v1)",
    ]);
    expect(
      await notices(
        session(
          { GITEA_TOKEN: "x" },
          { forge: { kind: "gitea", api: "http://169.254.169.254/api/v1", repo: "o/r" } },
        ),
      ),
    ).toEqual([
      "commit status: not sent: forge API refused 169.254.169.254: 169.254.169.254 is a link-local or cloud-metadata address",
    ]);
  });

  it("Slack: a bot token needs a channel; a webhook alone is enough", async () => {
    const channel = { notify: { slack: { channel: "#deploys" } } };
    expect(names(session({ ...gh, SLACK_BOT_TOKEN: "xoxb-1" }, channel))).toEqual([
      "commit status",
      "deployment",
      "slack",
    ]);
    expect(names(session({ SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/X" }))).toEqual([
      "slack",
    ]);
    expect(await notices(session({ SLACK_BOT_TOKEN: "xoxb-1" }))).toContain(
      "slack: not sent: SLACK_BOT_TOKEN is set but notify.slack.channel is not",
    );
    expect(await notices(session({}, channel))).toContain(
      "slack: not sent: notify.slack is set but neither SLACK_BOT_TOKEN nor SLACK_WEBHOOK_URL is",
    );
    const bad = await notices(
      session({ SLACK_WEBHOOK_URL: "http://169.254.169.254/services/T/B/SECRETPATH" }),
    );
    expect(bad).toContain("slack: not sent: SLACK_WEBHOOK_URL is refused or not a valid URL");
    expect(bad.join()).not.toContain("SECRETPATH");
  });

  it("the JSON webhook is its own reporter; a metadata address is refused", async () => {
    expect(names(session({}, { notify: { webhook: "https://hooks.example/tf" } }))).toEqual(["webhook"]);
    expect(await notices(session({}, { notify: { webhook: "http://169.254.169.254/x" } }))).toContain(
      "webhook: not sent: notify.webhook is refused (link-local or metadata address)",
    );
  });

  it("the bot's public-only webhook refuses loopback and private addresses; the CLI's reaches them as before", async () => {
    const s = session({}, { notify: { webhook: "http://127.0.0.1:9/T0KEN" } });
    expect(await notices(s)).toEqual([]);
    expect(names(s)).toEqual(["webhook"]);
    const bot = reportersFor(s.config, s.credentials, "web", same, { publicWebhook: true });
    expect(bot.map((h) => (h instanceof Notice ? `${h.name}: ${h.notice}` : h.name))).toEqual([
      "webhook: not sent: notify.webhook is refused (not a public address)",
    ]);
    const pub = session({}, { notify: { webhook: "https://hooks.example.com/tf" } });
    expect(
      reportersFor(pub.config, pub.credentials, "web", same, { publicWebhook: true }).map((h) => h.name),
    ).toEqual(["webhook"]);
  });

  it("a workload the config does not have gets no reporters, whatever Object.prototype has", () => {
    expect(hooksOf(session(gh), "constructor")).toEqual([]);
  });
});
