// The bot process survives what escapes a handler, and SIGTERM ends it with 0 within a bound
// even when a deploy's work never finishes.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { giteaSignature } from "../../../bot/gitea/verify.js";

const root = join(import.meta.dirname, "..", "..", "..");
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

function botConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), "tf-bot-proc-")), "bot.yml");
  // The hosts are never reached: these tests stop before any deploy connects.
  const shop = { forge: "gitea", repo: "octo/shop", hosts: ["ssh://deploy@127.0.0.1:9"] };
  writeFileSync(file, stringify({ projects: { shop } }));
  return file;
}

/** Starts the bot process; resolves with its URL once it listens. */
async function startBot(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "test/fixtures/bot-process.ts")], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: "0",
      HOST: "127.0.0.1",
      GITEA_WEBHOOK_SECRET: "s3cret-hook",
      GITEA_TOKEN: "gitea-token",
      TINYFORGE_BOT_CONFIG: botConfig(),
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (d) => {
      stderr += d;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`bot exited ${code}: ${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

describe("the bot process", () => {
  it("logs what escapes every handler and keeps serving", async () => {
    const bot = await startBot({ GITEA_URL: "http://127.0.0.1:9", TEST_ESCAPE: "1" });
    const deadline = Date.now() + 20_000;
    while (!/thrown in a callback/.test(bot.stderr()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(bot.stderr()).toContain("unhandled rejection (the bot keeps serving): nobody awaited this");
    expect(bot.stderr()).toContain("uncaught exception (the bot keeps serving): thrown in a callback");
    const health = await fetch(`${bot.url}/healthz`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
  }, 60_000);

  it("on SIGTERM waits a bounded time for running work, then exits 0", async () => {
    // A forge that accepts connections and never answers: the push's task cannot finish.
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const bot = await startBot({
        GITEA_URL: `http://127.0.0.1:${port}`,
        TINYFORGE_BOT_SHUTDOWN_TIMEOUT_MS: "1000",
      });
      const body = JSON.stringify({
        ref: "refs/heads/main",
        after: "a".repeat(40),
        repository: { full_name: "octo/shop" },
      });
      const res = await fetch(`${bot.url}/api/gitea/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-gitea-event": "push",
          "x-gitea-delivery": "d-1",
          "x-gitea-signature": giteaSignature("s3cret-hook", body),
        },
        body,
      });
      expect(res.status).toBe(200);
      expect((await (await fetch(`${bot.url}/healthz`)).json()).tasks).toBe(1);
      const t0 = Date.now();
      bot.child.kill("SIGTERM");
      expect(await bot.exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(bot.stderr()).toContain("exiting anyway");
    } finally {
      silent.close();
    }
  }, 60_000);
});
