// What the bot does while it starts so that its first push does not pay for it: the first config
// parse, validation and admission, each configured GitHub repo's installation token, the first
// request through each HTTP client; and /healthz says "starting" until then. None of it decides
// anything a push decides.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Probot } from "probot";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBotConfig } from "../../../bot/config.js";
import { Installations } from "../../../bot/github/installations.js";
import { githubSignature } from "../../../bot/github/verify.js";
import { startBot } from "../../../bot/main.js";
import { KeyedQueue } from "../../../bot/queue.js";
import { BotRunner, type RepoSource } from "../../../bot/runner.js";
import { warmHosts, warmInstallations, warmOutbound, warmPushPath } from "../../../bot/warm.js";
import { HostPool } from "../../../src/adapters/ssh-pool.js";
import type { Host } from "../../../src/ports/host.js";
import { configText } from "../../../src/app/boundary/index.js";
import { validateConfig } from "../../../src/config/load.js";
import { FakeGitHub } from "../../fakes/github-server.js";

const botConfig = parseBotConfig(`projects:
  shop:
    repo: octo/shop
    hosts: [ssh://deploy@127.0.0.1:9]
  shop-docs:
    repo: Octo/Shop
    config_path: docs/tinyforge.yml
    hosts: [ssh://deploy@127.0.0.1:9]
  wiki:
    forge: gitea
    repo: octo/wiki
    hosts: [ssh://deploy@127.0.0.1:9]
`);

/** A repo config through the runner's way (configText, then validateConfig): the config, or its errors. */
function read(text: string): unknown {
  try {
    const r = configText(text, botConfig.projects.shop!, "shop");
    return validateConfig(r.data, "tinyforge.yml");
  } catch (e) {
    return { error: (e as Error).message, details: (e as { details?: unknown }).details };
  }
}

describe("the config path warmed at start", () => {
  it("reads and refuses configs exactly as it did cold", async () => {
    const valid =
      "project: shop\nstages:\n  production:\n    branch: main\nworkloads:\n  web:\n    source: image\n    image: nginx:1\n    port: 80\n";
    const invalid =
      "project: shop\nstages:\n  production:\n    branch: main\nworkloads:\n  web:\n    source: image\n    port: http\n";
    const cold = [read(valid), read(invalid)];
    expect(cold[1]).toMatchObject({
      details: expect.arrayContaining([expect.stringContaining("workloads.web")]),
    });
    await warmPushPath(botConfig, new BotRunner({ ...runnerDeps(), config: botConfig }));
    expect([read(valid), read(invalid)]).toEqual(cold);
  });

  it("prepares a push as a push is prepared, and asks the forge nothing, writes nothing, queues nothing", async () => {
    const deps = runnerDeps();
    const runner = new BotRunner({ ...deps, config: botConfig });
    const prepared: string[] = [];
    const prepare = runner.prepare.bind(runner);
    runner.prepare = async (t, gate) => {
      const p = await prepare(t, gate);
      if (p) prepared.push(`${t.project} ${p.stage} ${p.workloads.join(",")}`);
      return p;
    };
    await warmPushPath(botConfig, runner);
    expect(prepared).toEqual(["shop production web"]);
    expect(deps.asked).toEqual([]);
    expect(deps.queue.depth).toBe(0);
  });

  it("a bot without projects warms nothing and does not fail", async () => {
    const none = parseBotConfig("projects: {}\n");
    await expect(
      warmPushPath(none, new BotRunner({ ...runnerDeps(), config: none })),
    ).resolves.toBeUndefined();
  });
});

/** A runner's dependencies whose forge records every question asked of it. */
function runnerDeps() {
  const asked: string[] = [];
  const source: RepoSource = {
    resolveRef: async (_repo, ref) => {
      asked.push(`ref ${ref}`);
      return "0".repeat(40);
    },
    readFile: async (_repo, path) => {
      asked.push(`read ${path}`);
      return undefined;
    },
    fetchTree: async () => {
      asked.push("tree");
    },
    forgeCredentials: async () => {
      asked.push("credentials");
      return { tokens: {} };
    },
  };
  return { env: {}, source: () => source, queue: new KeyedQueue(), asked };
}

function app(mint: () => Promise<void> = async () => {}) {
  const minted: number[] = [];
  const looked: string[] = [];
  const probot = {
    auth: async () => ({
      rest: {
        apps: {
          getRepoInstallation: async ({ owner, repo }: { owner: string; repo: string }) => {
            looked.push(`${owner}/${repo}`);
            return { data: { id: 2 } };
          },
          createInstallationAccessToken: async ({ installation_id }: { installation_id: number }) => {
            await mint();
            minted.push(installation_id);
            return {
              data: {
                token: `ghs_${minted.length}`,
                expires_at: new Date(Date.now() + 3600_000).toISOString(),
              },
            };
          },
        },
      },
    }),
  } as unknown as Probot;
  return { installations: new Installations(probot), minted, looked };
}

describe("the HTTP clients warmed at start", () => {
  it("asks the bot's own /healthz through Node's fetch, the forge calls' client, and Octokit over it", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const agent = req.headers["user-agent"] ?? "";
      seen.push(
        `${req.method} ${req.url} ${agent === "node" ? "fetch" : agent.includes("octokit") ? "octokit" : "http"}`,
      );
      res.setHeader("content-type", "application/json");
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      await warmOutbound(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.close();
    }
    expect(seen.sort()).toEqual(["GET /healthz fetch", "GET /healthz http", "GET /healthz octokit"]);
  });

  it("an address nobody answers on changes nothing and throws nothing", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(warmOutbound(`http://127.0.0.1:${port}`)).resolves.toBeUndefined();
  });
});

describe("SSH connections opened at start", () => {
  const quiet = { info() {}, warn() {}, error() {} };
  function pool(fail: (entry: string) => boolean = () => false) {
    const opened: string[] = [];
    const closed: string[] = [];
    const p = new HostPool({
      open: async (entry, secrets) => {
        opened.push(`${entry} ${secrets.sshKey}`);
        if (fail(entry)) throw new Error("connection refused");
        return {
          docker: { ping: async () => "OK" },
          close: async () => void closed.push(entry),
        } as unknown as Host;
      },
    });
    return { p, opened, closed };
  }

  it("one per configured host, with the bot's key, kept in the pool: the first deploy does not connect", async () => {
    const { p, opened, closed } = pool();
    await warmHosts(botConfig, p, { TINYFORGE_SSH_KEY: "KEY" }, quiet);
    expect(opened).toEqual(["ssh://deploy@127.0.0.1:9 KEY"]);
    expect([p.size, closed]).toEqual([1, []]);
    const host = await p.acquire("ssh://deploy@127.0.0.1:9", { sshKey: "KEY" });
    await host.close();
    expect(opened).toHaveLength(1);
    await p.closeAll();
  });

  it("a host that does not answer is an info line naming it, nothing thrown; the first deploy connects", async () => {
    const { p, opened } = pool(() => true);
    const infos: string[] = [];
    await warmHosts(botConfig, p, { TINYFORGE_SSH_KEY: "KEY" }, { ...quiet, info: (m) => infos.push(m) });
    expect(infos).toEqual([
      "ssh://deploy@127.0.0.1:9: not connected at start (connection refused); the first deploy connects",
    ]);
    expect(p.size).toBe(0);
    await p.acquire("ssh://deploy@127.0.0.1:9", { sshKey: "KEY" }).catch(() => undefined);
    expect(opened).toHaveLength(2);
  });
});

describe("installation tokens minted at start", () => {
  it("one per configured GitHub repo (names compared as GitHub does), none for Gitea's; the first push reuses it", async () => {
    const { installations, minted, looked } = app();
    await warmInstallations(botConfig, installations, "http://127.0.0.1:9", {
      info() {},
      warn() {},
      error() {},
    });
    expect(looked).toEqual(["octo/shop"]);
    expect(minted).toEqual([2]);
    expect(await installations.token("octo/shop")).toBe("ghs_1");
    expect(minted).toHaveLength(1);
  });

  it("a push arriving while the mint is under way shares it", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { installations, minted } = app(() => held);
    const warming = warmInstallations(botConfig, installations, "http://127.0.0.1:9", {
      info() {},
      warn() {},
      error() {},
    });
    await new Promise((r) => setTimeout(r, 10));
    const push = installations.token("octo/shop");
    release();
    await warming;
    expect(await push).toBe("ghs_1");
    expect(minted).toHaveLength(1);
  });

  it("a mint that fails is one warning naming the repo, nothing thrown; the first push asks again", async () => {
    let fail = true;
    const { installations, minted } = app(async () => {
      if (fail) throw Object.assign(new Error("Not Found"), { status: 404 });
    });
    const warnings: string[] = [];
    await warmInstallations(botConfig, installations, "http://127.0.0.1:9", {
      info() {},
      warn: (m) => warnings.push(m),
      error() {},
    });
    expect(warnings).toEqual([
      "github octo/shop: no installation token at start (Not Found); is the app installed on it? The first push asks again",
    ]);
    fail = false;
    expect(await installations.token("octo/shop")).toBe("ghs_1");
    expect(minted).toEqual([2]);
  });
});

describe("a started GitHub App bot", () => {
  const keys = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const github = new FakeGitHub("ghs_installation", "octo/shop");
  beforeAll(async () => {
    await github.start();
    github.app = { id: 1, publicKey: keys.publicKey, installationId: 2 };
  });
  afterAll(() => github.stop());

  it("has its repo's installation token before the first push, and checks each delivery's signature", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tf-warm-")), "bot.yml");
    writeFileSync(
      file,
      stringify({ projects: { shop: { repo: "octo/shop", hosts: ["ssh://deploy@127.0.0.1:9"] } } }),
    );
    const warnings: string[] = [];
    const bot = await startBot(
      {
        PORT: "0",
        HOST: "127.0.0.1",
        APP_ID: "1",
        PRIVATE_KEY: keys.privateKey,
        WEBHOOK_SECRET: "whsec-warm",
        GHE_HOST: github.url.replace("http://", ""),
        GHE_PROTOCOL: "http",
        TINYFORGE_BOT_CONFIG: file,
        TINYFORGE_BOT_STATE_DIR: mkdtempSync(join(tmpdir(), "tf-warm-state-")),
      },
      { log: { info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) } },
    );
    try {
      await bot.warmedUp;
      expect(github.tokensIssued).toBe(1);
      expect(warnings).toEqual([]);
      const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
      const deliver = (signature: string) =>
        fetch(`${bot.url}/api/github/webhooks`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "ping",
            "x-github-delivery": randomUUID(),
            "x-hub-signature-256": signature,
          },
          body,
        });
      expect((await deliver(githubSignature("whsec-warm", body))).status).toBe(200);
      expect((await deliver(githubSignature("whsec-other", body))).status).toBe(401);
    } finally {
      await bot.close();
    }
  });
});

describe("readiness (GET /healthz) while the bot warms up", () => {
  const keys = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  /** A GitHub that holds every request until release() answers them all 404. */
  async function heldGitHub() {
    const held: ServerResponse[] = [];
    const seen: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      seen.push(`${req.method} ${req.url}`);
      held.push(res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return {
      host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
      seen,
      release: () => {
        for (const res of held.splice(0))
          res.writeHead(404, { "content-type": "application/json" }).end("{}");
      },
      close: () => {
        server.closeAllConnections();
        server.close();
      },
    };
  }
  async function start(githubHost: string, readyWithinMs: number) {
    const file = join(mkdtempSync(join(tmpdir(), "tf-ready-")), "bot.yml");
    writeFileSync(
      file,
      stringify({ projects: { shop: { repo: "octo/shop", hosts: ["ssh://deploy@127.0.0.1:9"] } } }),
    );
    return startBot(
      {
        PORT: "0",
        HOST: "127.0.0.1",
        APP_ID: "1",
        PRIVATE_KEY: keys.privateKey,
        WEBHOOK_SECRET: "whsec-ready",
        GHE_HOST: githubHost,
        GHE_PROTOCOL: "http",
        TINYFORGE_BOT_CONFIG: file,
        TINYFORGE_BOT_STATE_DIR: mkdtempSync(join(tmpdir(), "tf-ready-state-")),
      },
      { log: { info() {}, warn() {}, error() {} }, readyWithinMs },
    );
  }
  const health = async (url: string) => {
    const res = await fetch(`${url}/healthz`);
    const body = (await res.json()) as { ok: boolean; starting?: boolean };
    return { status: res.status, ok: body.ok, starting: body.starting };
  };

  it("answers 503 starting until its warm-up is done, then 200", async () => {
    const github = await heldGitHub();
    const bot = await start(github.host, 60_000);
    try {
      // The installation token's first request is held: the warm-up is not done.
      for (let i = 0; github.seen.length === 0 && i < 200; i++) await new Promise((r) => setTimeout(r, 10));
      expect(github.seen).not.toEqual([]);
      expect(await health(bot.url)).toEqual({ status: 503, ok: false, starting: true });
      github.release();
      await bot.warmedUp;
      expect(await health(bot.url)).toEqual({ status: 200, ok: true, starting: undefined });
    } finally {
      await bot.close();
      github.close();
    }
  });

  it("a GitHub that does not answer keeps it starting for readyWithinMs at most", async () => {
    const github = await heldGitHub();
    const bot = await start(github.host, 300);
    try {
      let warm = false;
      void bot.warmedUp.then(() => (warm = true));
      expect((await health(bot.url)).status).toBe(503);
      await new Promise((r) => setTimeout(r, 500));
      expect(warm).toBe(false);
      expect(await health(bot.url)).toEqual({ status: 200, ok: true, starting: undefined });
    } finally {
      await bot.close();
      github.close();
    }
  });
});
