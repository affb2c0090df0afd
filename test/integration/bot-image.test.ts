// The bot's container image (Dockerfile at the root): built here on a Node base made from this
// machine's own node binary (no registry is reachable), started against the Gitea fake, it turns
// healthy through its HEALTHCHECK, runs as a non-root user, and answers a signed push (and
// refuses an unsigned one).
import { execFile } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { RunningBot } from "../../bot/main.js";
import { FakeGitea } from "../fakes/gitea-server.js";
import { deliverGitea, REPO, sha, until } from "./bot-harness.js";
import { uniqueName } from "./testbed.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const SECRET = "image-test-hook-secret";
const TOKEN = "image-test-gitea-token";
const name = uniqueName("botimg");
const base = `tinyforge/${name}-node:20`;
const image = `tinyforge/${name}:test`;

const docker = (...args: string[]) =>
  run("docker", args, { env: { ...process.env, DOCKER_BUILDKIT: "0" }, maxBuffer: 16 * 1024 * 1024 });

/** The node binary and every library it links, laid out as a root filesystem. */
async function nodeRootfs(ctx: string): Promise<void> {
  const copy = (from: string, to = from) => {
    mkdirSync(dirname(join(ctx, "rootfs", to)), { recursive: true });
    copyFileSync(from, join(ctx, "rootfs", to));
  };
  copy(process.execPath, "/usr/local/bin/node");
  const { stdout } = await run("ldd", [process.execPath]);
  for (const m of stdout.matchAll(/(\/\S+) \(0x/g)) copy(m[1]!);
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let gitea: FakeGitea;
let port: number;

beforeAll(async () => {
  gitea = await new FakeGitea(TOKEN, REPO).start();
  const ctx = mkdtempSync(join(tmpdir(), "tf-node-base-"));
  copyFileSync(join(root, "test/images/node-base/Dockerfile"), join(ctx, "Dockerfile"));
  await nodeRootfs(ctx);
  await docker("build", "-q", "-t", base, ctx);
  await docker("build", "-q", "--build-arg", `BASE=${base}`, "-t", image, root);

  // The bot reads its config as its own unprivileged user.
  const conf = mkdtempSync(join(tmpdir(), "tf-bot-image-"));
  chmodSync(conf, 0o755);
  writeFileSync(
    join(conf, "bot.yml"),
    stringify({ projects: { shop: { forge: "gitea", repo: REPO, hosts: ["ssh://deploy@127.0.0.1:9"] } } }),
    { mode: 0o644 },
  );
  port = await freePort();
  // Host networking: the forge fake listens on this machine's loopback, and so does the bot.
  await docker(
    "run",
    "-d",
    "--name",
    name,
    "--network",
    "host",
    "--health-interval",
    "1s",
    "--health-start-period",
    "1s",
    "-v",
    `${conf}:/config:ro`,
    "-e",
    "HOST=127.0.0.1",
    "-e",
    `PORT=${port}`,
    "-e",
    `GITEA_URL=${gitea.url}`,
    "-e",
    `GITEA_TOKEN=${TOKEN}`,
    "-e",
    `GITEA_WEBHOOK_SECRET=${SECRET}`,
    "-e",
    "TINYFORGE_BOT_CONFIG=/config/bot.yml",
    image,
  );
}, 300_000);

afterAll(async () => {
  await docker("rm", "-f", name).catch(() => undefined);
  await docker("rmi", "-f", image, base).catch(() => undefined);
  await gitea?.stop();
});

const inspect = async (format: string) => (await docker("inspect", "-f", format, name)).stdout.trim();

describe("the bot's image", () => {
  it("turns healthy, runs as a non-root user, and answers a signed push", async () => {
    const deadline = Date.now() + 90_000;
    let health = "";
    while (Date.now() < deadline) {
      health = await inspect("{{.State.Health.Status}}");
      if (health === "healthy" || (await inspect("{{.State.Running}}")) !== "true") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(health, (await docker("logs", name)).stderr).toBe("healthy");
    expect(await inspect("{{.Config.User}}")).toBe("10001:10001");

    const bot = { url: `http://127.0.0.1:${port}` } as RunningBot;
    const push = { ref: "refs/heads/main", after: sha(), repository: { full_name: REPO } };
    expect((await deliverGitea(bot, "push", push, SECRET, null)).status).toBe(401);
    const answered = await deliverGitea(bot, "push", push, SECRET);
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({ ok: true, result: "queued" });
    // It acted on it: the push is checked against the branch's head on the forge.
    await until(() => gitea.calls(/\/branches\/main$/).length > 0, 30_000, "the bot reading the branch head");
    // Its log is JSON lines.
    const line = (await docker("logs", name)).stderr.split("\n").find((l) => l.includes("listening on"));
    expect(JSON.parse(line!)).toMatchObject({ level: "info", name: "tinyforge-bot" });
  }, 180_000);
});
