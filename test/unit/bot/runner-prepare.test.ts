// BotRunner.prepare with an in-memory repo: the stage a trigger lands on, the repo's forge section
// and operator-only keys ignored, secrets only through the stage's grant, the tree fetched at the
// repo root.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseBotConfig } from "../../../bot/config.js";
import { KeyedQueue } from "../../../bot/queue.js";
import { BotRunner, type RepoSource, type Trigger } from "../../../bot/runner.js";
import type { TinyforgeError } from "../../../src/errors.js";

const SHA = "b".repeat(40);

function runner(
  config: Record<string, unknown> | undefined,
  configPath = "tinyforge.yml",
  extraBot = "",
  botEnv: Record<string, string> = {},
) {
  const fetched: string[] = [];
  const source: RepoSource = {
    resolveRef: async () => SHA,
    readFile: async () => (config ? stringify(config) : undefined),
    fetchTree: async (_repo, _sha, dir) => {
      fetched.push(dir);
    },
  };
  const bot = parseBotConfig(
    `projects:\n  shop:\n    repo: octo/shop\n    config_path: ${configPath}\n${extraBot || '    hosts: ["ssh://deploy@app-1.example:22"]\n'}`,
  );
  return {
    r: new BotRunner({ config: bot, env: {}, botEnv, source: () => source, queue: new KeyedQueue() }),
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
  it("validates the config read readConfig started (a push's, beside its branch head) without reading it again", async () => {
    const { r, source } = runner(base);
    let reads = 0;
    const read = source.readFile;
    source.readFile = (...a) => {
      reads++;
      return read(...a);
    };
    const configText = r.readConfig("shop", SHA);
    expect(reads).toBe(1);
    const p = await r.prepare(t({ ref: "main", ...(configText ? { configText } : {}) }));
    expect(p?.stage).toBe("production");
    expect(reads).toBe(1);
    expect(r.readConfig("nobody", SHA)).toBeUndefined();
  });

  it("a deploy joins an existing network only when it is the project's, or one projects.P.networks lists; a workload naming none runs on its stage's own", async () => {
    const { r } = runner(
      base,
      "tinyforge.yml",
      '    hosts: ["ssh://deploy@app-1.example:22"]\n    networks: [caddy]\n',
    );
    const p = await r.prepare(t({ ref: "main" }));
    expect(p?.session.grants.networks).toEqual({ allowed: ["caddy"], unlabelled: false, isolate: true });
  });

  it("a repo asking more than projects.P.limits is invalid; one asking nothing gets the operator's", async () => {
    const limits = '    hosts: ["ssh://deploy@app-1.example:22"]\n    limits: { memory: 512m, cpus: 1 }\n';
    const p = await runner(base, "tinyforge.yml", limits).r.prepare(t({ ref: "main" }));
    expect(p?.session.config.workloads.web?.resources).toEqual({ memory: "512m", cpus: 1 });
    const greedy = { ...base, workloads: { web: { ...base.workloads.web, resources: { memory: "4g" } } } };
    await expect(runner(greedy, "tinyforge.yml", limits).r.prepare(t({ ref: "main" }))).rejects.toMatchObject(
      {
        code: "config_invalid",
        details: ["workloads.web.resources.memory: 4g is more than projects.shop.limits.memory (512m)"],
      },
    );
  });

  it("a status_context that is not the bot's is refused before the stage's checks gate, which posts under it", async () => {
    const stages = { production: { branch: "main", status_context: "ci/build", wait_for_checks: true } };
    const { r } = runner({ ...base, stages });
    let gated = 0;
    const e = (await r
      .prepare(t({ ref: "main" }), async () => {
        gated++;
        return false;
      })
      .catch((x) => x)) as TinyforgeError;
    expect(e.code).toBe("config_invalid");
    expect(e.details).toEqual([
      'stages.production.status_context: "ci/build" is not the bot\'s own: must be "tinyforge" or start with "tinyforge/"',
    ]);
    expect(gated).toBe(0);
    const own = runner({
      ...base,
      stages: { production: { branch: "main", status_context: "tinyforge/prod" } },
    });
    expect((await own.r.prepare(t({ ref: "main" })))?.stage).toBe("production");
  });

  it("the repo's webhook is sent to public addresses only, unless the operator lists its origin", async () => {
    const hook = (webhook: string) => ({ ...base, notify: { webhook } });
    const pub = await runner(hook("https://hooks.example.com/tf")).r.prepare(t({ ref: "main" }));
    expect(pub?.session.grants.publicWebhook).toBe(true);
    await expect(
      runner(hook("http://127.0.0.1:2019/stop")).r.prepare(t({ ref: "main" })),
    ).rejects.toMatchObject({
      code: "config_invalid",
      details: [expect.stringMatching(/^notify\.webhook: must be https to a public address \(got http\)/)],
    });
    const listed = runner(
      hook("http://127.0.0.1:9000/tf"),
      "tinyforge.yml",
      '    hosts: [local]\n    notify_webhook_origins: ["http://127.0.0.1:9000"]\n',
    );
    expect((await listed.r.prepare(t({ ref: "main" })))?.session.grants.publicWebhook).toBe(false);
  });

  it("the repo's Slack channel must be one the operator names for the project", async () => {
    const slack = { ...base, notify: { slack: { channel: "C0EXEC" } } };
    await expect(runner(slack).r.prepare(t({ ref: "main" }))).rejects.toMatchObject({
      code: "config_invalid",
      details: [
        expect.stringMatching(/^notify\.slack\.channel: "C0EXEC" is not in projects\.shop\.notify_channels/),
      ],
    });
    const listed = runner(slack, "tinyforge.yml", "    hosts: [local]\n    notify_channels: [C0EXEC]\n");
    expect((await listed.r.prepare(t({ ref: "main" })))?.stage).toBe("production");
  });

  it("a push lands on the branch's stage, a PR on the pull_requests stage, other branches nowhere", async () => {
    const { r } = runner(base);
    expect((await r.prepare(t({ ref: "main" })))?.stage).toBe("production");
    expect((await r.prepare(t({ ref: "feature", preview: true })))?.stage).toBe("preview");
    expect(await r.prepare(t({ ref: "docs" }))).toBeUndefined();
  });

  it("the bot config's hosts, proxy, state_dir, publish_ip and lock_timeout replace the repo's, which are named as ignored", async () => {
    const pinned = runner(
      {
        ...base,
        hosts: ["ssh://root@evil.example:22"],
        proxy: { driver: "nginx", command: ["sh", "-c", "id > /tmp/pwned"] },
        domain: "shop.example.com",
        state_dir: "/etc",
        publish_ip: "0.0.0.0",
        lock_timeout: "1h",
      },
      "tinyforge.yml",
      '    hosts: ["ssh://deploy@app-1.example:22"]\n    proxy: { driver: caddy }\n    state_dir: /srv/tf\n    domains: ["*.shop.example.com"]\n',
    );
    const p = await pinned.r.prepare(t({ ref: "main" }));
    const c = p!.session.config;
    expect([c.hosts, c.proxy, c.state_dir, c.publish_ip, c.lock_timeout]).toEqual([
      ["ssh://deploy@app-1.example:22"],
      { driver: "caddy", tls: false },
      "/srv/tf",
      "127.0.0.1",
      60_000,
    ]);
    expect(p!.ignored).toEqual(["hosts", "proxy", "state_dir", "publish_ip", "lock_timeout"]);
    p?.cleanup();
  });

  it("a trigger from outside the forge (Slack) reports to the project's repo through its source", async () => {
    const { r, source } = runner(base);
    source.forgeCredentials = async (repo) => ({
      kind: "github",
      tokens: { github: "ghs_installation" },
      actions: { api: "http://127.0.0.1:9", repo },
    });
    const p = await r.prepare(t({ ref: "main", trigger: "chat" }));
    expect(p?.session.credentials.forge).toMatchObject({
      kind: "github",
      tokens: { github: "ghs_installation" },
      actions: { repo: "octo/shop" },
    });
    p?.cleanup();
    // A forge trigger brings its own forge, which wins.
    const q = await r.prepare(
      t({ ref: "main", forge: { kind: "github", tokens: { github: "from-webhook" } } }),
    );
    expect(q?.session.credentials.forge.tokens.github).toBe("from-webhook");
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

  it("secrets resolve through the stage's grant only: the bot's credentials and other stages' grants are refused", async () => {
    const grants =
      '    hosts: [local]\n    secrets:\n      production: { DATABASE_URL: SHOP_PROD_DB }\n      "*": { SENTRY_DSN: SHOP_SENTRY }\n';
    const env = { SHOP_PROD_DB: "postgres://prod", SHOP_SENTRY: "https://sentry", TINYFORGE_SSH_KEY: "k" };
    const config = (secrets: string[]) => ({
      ...base,
      workloads: { web: { ...base.workloads.web, secrets } },
    });
    const ok = runner(config(["DATABASE_URL", "SENTRY_DSN"]), "tinyforge.yml", grants, env);
    const p = await ok.r.prepare(t({ ref: "main" }));
    expect(p?.session.grants.secrets(p.session.config, "web", "production")).toEqual({
      DATABASE_URL: "postgres://prod",
      SENTRY_DSN: "https://sentry",
    });
    p?.cleanup();

    const bad = runner(config(["DATABASE_URL", "TINYFORGE_SSH_KEY"]), "tinyforge.yml", grants, env);
    const e = (await bad.r.prepare(t({ ref: "f", preview: true })).catch((x) => x)) as TinyforgeError;
    expect(e.code).toBe("config_invalid");
    expect(e.details).toEqual([
      "workloads.web.secrets: DATABASE_URL, TINYFORGE_SSH_KEY are not granted to stage preview (projects.shop.secrets in the bot's config)",
    ]);
  });

  it("user-named stages and workloads are own keys only: constructor is unknown", async () => {
    const { r } = runner(base);
    await expect(r.prepare(t({ stage: "constructor" }))).rejects.toMatchObject({
      code: "usage",
      message: 'no stage "constructor" in the config (have: production, preview)',
    });
    await expect(r.prepare(t({ ref: "main", workload: "__proto__" }))).rejects.toMatchObject({
      message: 'no workload "__proto__" in the config (have: web)',
    });
    await expect(r.prepare(t({ project: "toString", ref: "main" }))).rejects.toMatchObject({
      message: 'unknown project "toString" (have: shop)',
    });
  });

  it("no tinyforge.yml at the SHA is not_found (a branch that deploys nothing), not an invalid config", async () => {
    const { r } = runner(undefined);
    await expect(r.prepare(t({ ref: "main" }))).rejects.toMatchObject({ code: "not_found" });
  });

  it("an image's deploy is prepared in memory: nothing is written to disk on its way to the pending status", async () => {
    const { r, fetched } = runner(base);
    const scratch = mkdtempSync(join(tmpdir(), "tf-prepare-"));
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      const p = await r.prepare(t({ ref: "main" }));
      expect(p?.stage).toBe("production");
      expect(fetched).toEqual([]);
      expect(readdirSync(scratch)).toEqual([]);
      p?.cleanup();
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("a config that is not YAML is reported with its line and column, as the file would be", async () => {
    const { r, source } = runner(base);
    source.readFile = async () => "project: shop\nworkloads: [\n";
    await expect(r.prepare(t({ ref: "main" }))).rejects.toMatchObject({
      code: "config_invalid",
      message: expect.stringMatching(/tinyforge\.yml:\d+:\d+/),
    });
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
