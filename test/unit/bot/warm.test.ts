// What the bot does while it starts so that its first push does not pay for it: the first config
// parse and validation, each configured GitHub repo's installation token. None of it decides
// anything a push decides.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer } from "node:http";
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
import { warmConfigPath, warmInstallations, warmOutbound } from "../../../bot/warm.js";
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
  it("reads and refuses configs exactly as it did cold", () => {
    const valid =
      "project: shop\nstages:\n  production:\n    branch: main\nworkloads:\n  web:\n    source: image\n    image: nginx:1\n    port: 80\n";
    const invalid =
      "project: shop\nstages:\n  production:\n    branch: main\nworkloads:\n  web:\n    source: image\n    port: http\n";
    const cold = [read(valid), read(invalid)];
    expect(cold[1]).toMatchObject({
      details: expect.arrayContaining([expect.stringContaining("workloads.web")]),
    });
    warmConfigPath(botConfig);
    expect([read(valid), read(invalid)]).toEqual(cold);
  });

  it("a bot without projects warms nothing and does not fail", () => {
    expect(() => warmConfigPath(parseBotConfig("projects: {}\n"))).not.toThrow();
  });
});

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
  it("asks the bot's own /healthz once through Node's fetch and once through the forge calls' client", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers["user-agent"] === "node" ? "fetch" : "http"}`);
      res.setHeader("content-type", "application/json");
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      await warmOutbound(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.close();
    }
    expect(seen.sort()).toEqual(["GET /healthz fetch", "GET /healthz http"]);
  });

  it("an address nobody answers on changes nothing and throws nothing", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(warmOutbound(`http://127.0.0.1:${port}`)).resolves.toBeUndefined();
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
