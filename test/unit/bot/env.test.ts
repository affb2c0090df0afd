import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { botSettings } from "../../../bot/env.js";

const dir = mkdtempSync(join(tmpdir(), "tf-bot-env-"));
const config = (forge: string) => {
  const f = join(dir, `${forge}.yml`);
  writeFileSync(f, `projects:\n  shop:\n    forge: ${forge}\n    repo: octo/shop\n    hosts: [local]\n`);
  return f;
};
const github = { APP_ID: "1", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nx", WEBHOOK_SECRET: "w" };
const gitea = { GITEA_URL: "http://127.0.0.1:3000", GITEA_TOKEN: "gt", GITEA_WEBHOOK_SECRET: "gs" };

function failure(env: Record<string, string>): string {
  try {
    botSettings(env);
  } catch (e) {
    const err = e as { message: string; hint?: string };
    return `${err.message} | ${err.hint ?? ""}`;
  }
  throw new Error("no error");
}

describe("bot settings from env", () => {
  it("GitHub App: Probot's own names; GHE_HOST names the API", () => {
    const s = botSettings({ ...github, GHE_HOST: "ghe.example:8443", GHE_PROTOCOL: "http", PORT: "0" });
    expect(s.github?.api).toBe("http://ghe.example:8443/api/v3");
    expect(s.github?.probotEnv).toMatchObject({
      APP_ID: "1",
      WEBHOOK_SECRET: "w",
      GHE_HOST: "ghe.example:8443",
    });
    expect(botSettings(github).github?.api).toBe("https://api.github.com");
    expect(s).toMatchObject({ port: 0, host: "127.0.0.1", slack: false });
  });

  it("says which variable is missing", () => {
    expect(failure({})).toMatch(/^nothing to serve \| set APP_ID/);
    expect(failure({ APP_ID: "1", WEBHOOK_SECRET: "w" })).toMatch(/^PRIVATE_KEY is not set/);
    expect(failure({ APP_ID: "1", PRIVATE_KEY_PATH: "/nonexistent.pem", WEBHOOK_SECRET: "w" })).toMatch(
      /^PRIVATE_KEY_PATH: no file at/,
    );
    expect(failure({ APP_ID: "1", PRIVATE_KEY: "k" })).toMatch(/^WEBHOOK_SECRET is not set/);
    expect(failure({ GITEA_URL: "http://g" })).toMatch(/^GITEA_TOKEN is not set/);
    expect(failure({ GITEA_URL: "http://g", GITEA_TOKEN: "t" })).toMatch(/^GITEA_WEBHOOK_SECRET is not set/);
    expect(failure({ ...github, PORT: "http" })).toMatch(/^PORT: must be a port number/);
    expect(failure({ ...gitea, TINYFORGE_BOT_CONFIG: config("github") })).toMatch(
      /^projects\.shop\.forge is github, but APP_ID is not set/,
    );
  });

  it("Gitea: a project's own webhook secret comes from the variable it names; the shared one is then optional", () => {
    const f = join(dir, "own-secret.yml");
    writeFileSync(
      f,
      "projects:\n  shop:\n    forge: gitea\n    repo: Octo/Shop\n    hosts: [local]\n    webhook_secret: SHOP_HOOK\n",
    );
    const { GITEA_WEBHOOK_SECRET: _, ...noShared } = gitea;
    const s = botSettings({ ...noShared, SHOP_HOOK: "own", TINYFORGE_BOT_CONFIG: f });
    expect(s.gitea?.secret).toBeUndefined();
    expect([...(s.gitea?.repoSecrets ?? [])]).toEqual([["octo/shop", "own"]]);
    expect(failure({ ...gitea, TINYFORGE_BOT_CONFIG: f })).toMatch(
      /^projects\.shop\.webhook_secret: SHOP_HOOK is not set in the bot's environment/,
    );
    const gh = join(dir, "own-secret-github.yml");
    writeFileSync(
      gh,
      "projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n    webhook_secret: SHOP_HOOK\n",
    );
    expect(failure({ ...github, SHOP_HOOK: "own", TINYFORGE_BOT_CONFIG: gh })).toMatch(
      /^projects\.shop\.webhook_secret: only for Gitea/,
    );
    // A name the environment object inherits is no variable of it.
    writeFileSync(f, readFileSync(f, "utf8").replace("SHOP_HOOK", "constructor"));
    expect(failure({ ...gitea, TINYFORGE_BOT_CONFIG: f })).toMatch(
      /^projects\.shop\.webhook_secret: constructor is not set in the bot's environment/,
    );
    // A Gitea project without a secret of its own still needs the shared one.
    expect(failure({ ...noShared, TINYFORGE_BOT_CONFIG: config("gitea") })).toMatch(
      /^GITEA_WEBHOOK_SECRET is not set/,
    );
  });

  it("a grant naming a variable the bot's environment lacks fails the start, naming the key", () => {
    const f = join(dir, "grants.yml");
    writeFileSync(
      f,
      "projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n    secrets:\n      production: { DATABASE_URL: SHOP_DB }\n",
    );
    try {
      botSettings({ ...github, TINYFORGE_BOT_CONFIG: f });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({
        message: "a granted secret is not set in the bot's environment",
        details: [
          "projects.shop.secrets.production.DATABASE_URL: SHOP_DB is not set in the bot's environment",
        ],
      });
    }
    expect(botSettings({ ...github, SHOP_DB: "x", TINYFORGE_BOT_CONFIG: f }).botEnv.SHOP_DB).toBe("x");
  });

  it("deploys see the SSH, proxy and chat settings of the bot's env, nothing else of it", () => {
    const s = botSettings({
      ...github,
      ...gitea,
      SLACK_SIGNING_SECRET: "ss",
      SLACK_BOT_TOKEN: "xoxb",
      TINYFORGE_API_TOKEN: "at",
      TINYFORGE_SSH_KEY: "key",
      TINYFORGE_PROXY_TOKEN: "pt",
      OTHER_TEAM_DATABASE_URL: "postgres://other",
      TINYFORGE_BOT_CONFIG: config("gitea"),
    });
    expect(Object.keys(s.deployEnv).sort()).toEqual([
      "SLACK_BOT_TOKEN",
      "TINYFORGE_PROXY_TOKEN",
      "TINYFORGE_SSH_KEY",
    ]);
    expect(s).toMatchObject({ slack: true, apiToken: "at", gitea: { url: "http://127.0.0.1:3000" } });
  });
});
