// BotRunner.prepare with an in-memory repo: the stage a trigger lands on, the repo's forge section
// ignored, the bot's credentials refused as container secrets, the tree fetched at the repo root.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseBotConfig } from "../../../bot/config.js";
import { KeyedQueue } from "../../../bot/queue.js";
import { BotRunner, type RepoSource, type Trigger } from "../../../bot/runner.js";
import type { TinyforgeError } from "../../../src/errors.js";

const SHA = "b".repeat(40);

function runner(config: Record<string, unknown> | undefined, configPath = "tinyforge.yml", extraBot = "") {
  const fetched: string[] = [];
  const source: RepoSource = {
    resolveRef: async () => SHA,
    readFile: async () => (config ? stringify(config) : undefined),
    fetchTree: async (_repo, _sha, dir) => {
      fetched.push(dir);
    },
  };
  const bot = parseBotConfig(
    `projects:\n  shop:\n    repo: octo/shop\n    config_path: ${configPath}\n${extraBot}`,
  );
  return {
    r: new BotRunner({ config: bot, env: {}, source: () => source, queue: new KeyedQueue() }),
    fetched,
    source,
  };
}

const base = {
  project: "shop",
  hosts: ["local"],
  stages: { production: { branch: "main" }, preview: { pull_requests: true } },
  workloads: { web: { source: "image", image: "x:{sha}", port: 80 } },
};
const t = (over: Partial<Trigger>): Trigger => ({
  project: "shop",
  sha: SHA,
  kind: "deploy",
  trigger: "test",
  ...over,
});

describe("BotRunner.prepare", () => {
  it("a push lands on the branch's stage, a PR on the pull_requests stage, other branches nowhere", async () => {
    const { r } = runner(base);
    expect((await r.prepare(t({ ref: "main" })))?.stage).toBe("production");
    expect((await r.prepare(t({ ref: "feature", preview: true })))?.stage).toBe("preview");
    expect(await r.prepare(t({ ref: "docs" }))).toBeUndefined();
  });

  it("the bot config's hosts replace the repo's: a push cannot aim the bot's key elsewhere", async () => {
    const pinned = runner(
      { ...base, hosts: ["ssh://root@evil.example:22"] },
      "tinyforge.yml",
      '    hosts: ["ssh://deploy@app-1.example:22"]\n',
    );
    const p = await pinned.r.prepare(t({ ref: "main" }));
    expect(p?.session.config.hosts).toEqual(["ssh://deploy@app-1.example:22"]);
    p?.cleanup();
    const open = runner({ ...base, hosts: ["ssh://root@elsewhere:22"] });
    const q = await open.r.prepare(t({ ref: "main" }));
    expect(q?.session.config.hosts).toEqual(["ssh://root@elsewhere:22"]);
    q?.cleanup();
  });

  it("a trigger from outside the forge (Slack) reports to the project's repo through its source", async () => {
    const { r, source } = runner(base);
    source.forgeEnv = async (repo) => ({
      GITHUB_TOKEN: "ghs_installation",
      GITHUB_REPOSITORY: repo,
      GITHUB_API_URL: "http://127.0.0.1:9",
    });
    const p = await r.prepare(t({ ref: "main", trigger: "chat" }));
    expect(p?.session.env).toMatchObject({
      GITHUB_TOKEN: "ghs_installation",
      GITHUB_REPOSITORY: "octo/shop",
    });
    p?.cleanup();
    // A forge trigger brings its own env, which wins.
    const q = await r.prepare(t({ ref: "main", forgeEnv: { GITHUB_TOKEN: "from-webhook" } }));
    expect(q?.session.env.GITHUB_TOKEN).toBe("from-webhook");
    q?.cleanup();
  });

  it("the repo's forge section is ignored: statuses go where the trigger came from", async () => {
    const { r } = runner({
      ...base,
      forge: { kind: "gitea", api: "https://evil.example/api/v1", repo: "x/y" },
    });
    const p = await r.prepare(t({ ref: "main" }));
    expect(p?.session.config.forge).toBeUndefined();
    p?.cleanup();
  });

  it("a workload asking for the bot's credentials as secrets is an invalid config", async () => {
    const { r } = runner({
      ...base,
      workloads: {
        web: { ...base.workloads.web, secrets: ["DATABASE_URL", "TINYFORGE_SSH_KEY", "GITHUB_TOKEN"] },
      },
    });
    const e = (await r.prepare(t({ ref: "main" })).catch((x) => x)) as TinyforgeError;
    expect(e.code).toBe("config_invalid");
    expect(e.details).toEqual([
      "workloads.web.secrets: TINYFORGE_SSH_KEY, GITHUB_TOKEN are the bot's own credentials, never passed to a container",
    ]);
  });

  it("no tinyforge.yml at the SHA is not_found (a branch that deploys nothing), not an invalid config", async () => {
    const { r } = runner(undefined);
    await expect(r.prepare(t({ ref: "main" }))).rejects.toMatchObject({ code: "not_found" });
  });

  it("a config below the repo root still gets the whole tree at the root", async () => {
    const { r, fetched } = runner(
      { ...base, workloads: { web: { source: "dockerfile", port: 80 } } },
      "deploy/tinyforge.yml",
    );
    const p = await r.prepare(t({ ref: "main" }));
    expect(p?.session.dir.endsWith(join("", "deploy"))).toBe(true);
    expect(fetched).toEqual([join(p!.session.dir, "..")]);
    expect(readdirSync(fetched[0]!)).toEqual(["deploy"]);
    p?.cleanup();
    expect(existsSync(fetched[0]!)).toBe(false);
  });
});
