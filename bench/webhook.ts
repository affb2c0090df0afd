// Benchmark: how long from a GitHub push webhook reaching the bot until the commit's pending
// status reaches GitHub — the bot's whole front half: signature check, Probot dispatch, the
// background task, the App's token, tinyforge.yml through the contents API, then the status call
// (sent before the SSH connection and the lock). The bot runs as it ships and as an operator runs
// it, a process of its own (bin/tinyforge-bot.js on dist/, which `npm run bench` builds first); the
// local GitHub fake and the pushes run in this one, as GitHub is not in the bot's process either.
// Deploys are real (testbed sshd and Docker, a registry image).
// Pushes go round-robin to LANES branches, one stage each, and a lane sends its next push when its
// previous deploy ended, so the number measures the path, not time spent queued behind a deploy of
// the same stage.
import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Dockerode from "dockerode";
import { stringify } from "yaml";
import { githubSignature } from "../bot/github/verify.js";
import { FakeGitHub } from "../test/fakes/github-server.js";

const root = join(import.meta.dirname, "..");
const tb = JSON.parse(readFileSync(join(root, ".testbed/env.json"), "utf8"));
const N = Number(process.env.BENCH_WEBHOOKS ?? 200);
const LANES = Number(process.env.BENCH_LANES ?? 4);
const SECRET = randomBytes(16).toString("hex");
const TOKEN = `ghs_${randomBytes(12).toString("hex")}`;
const project = `benchhook${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "tf-bench-hook-"));

const keys = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
});
const github = await new FakeGitHub(TOKEN, "octo/shop").start();
github.app = { id: 1, publicKey: keys.publicKey, installationId: 2 };

const lanes = Array.from({ length: LANES }, (_, i) => `lane${i}`);
// Where it deploys is the operator's (the bot config below), not the repo's.
const config = stringify({
  project,
  stages: Object.fromEntries(lanes.map((l) => [l, { branch: l }])),
  workloads: {
    web: {
      source: "image",
      image: tb.images.registryWebV1,
      port: tb.webPort,
      pull: "missing",
      healthcheck: { path: "/healthz", retries: 30, interval: "100ms", timeout: "2s" },
      drain: "0ms",
      stop_timeout: "0s",
    },
  },
});
const botConfig = join(dir, "bot.yml");
writeFileSync(
  botConfig,
  stringify({
    projects: {
      [project]: {
        repo: "octo/shop",
        hosts: [`ssh://${tb.sshUser}@${tb.sshHost}:${tb.sshPort}`],
        state_dir: join(dir, "state"),
      },
    },
  }),
);

/** A port free on 127.0.0.1 now, for the bot to listen on. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer().once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

const port = await freePort();
const warnings: string[] = [];
// BENCH_BOT_NODE_FLAGS: node flags for the bot's process only (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"
// to profile what a webhook waits behind); unset, the bot runs exactly as shipped.
const botFlags = (process.env.BENCH_BOT_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const botProcess = spawn(process.execPath, [...botFlags, join(root, "bin/tinyforge-bot.js")], {
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: "127.0.0.1",
    // Its log is JSON lines on stderr: warnings and errors are what this bench counts.
    LOG_LEVEL: "warn",
    APP_ID: "1",
    PRIVATE_KEY: keys.privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.url.replace("http://", ""),
    GHE_PROTOCOL: "http",
    TINYFORGE_BOT_CONFIG: botConfig,
    // As the README runs it: each accepted trigger is fsynced there before the webhook is answered.
    TINYFORGE_BOT_STATE_DIR: join(dir, "bot-state"),
    TINYFORGE_SSH_KEY_FILE: tb.sshKeyFile,
    TINYFORGE_KNOWN_HOSTS_FILE: tb.knownHostsFile,
  },
  stdio: ["ignore", "inherit", "pipe"],
});
createInterface({ input: botProcess.stderr! }).on("line", (line) => warnings.push(line));
const botExited = new Promise<number | null>((resolve) => botProcess.once("exit", (code) => resolve(code)));
// Whatever ends this bench ends the bot with it.
process.once("exit", () => botProcess.kill("SIGKILL"));
const bot = { url: `http://127.0.0.1:${port}` };
// The first push of a lane runs on an empty host; all of them get timed, as a user would see it.
const push = (sha: string, branch: string) => ({
  ref: `refs/heads/${branch}`,
  before: "0".repeat(40),
  after: sha,
  deleted: false,
  created: false,
  forced: false,
  repository: { id: 1, name: "shop", full_name: "octo/shop", owner: { login: "octo" } },
  installation: { id: 2 },
  sender: { login: "alice", type: "User" },
  pusher: { name: "alice" },
  commits: [],
});

// The fake tells each lane when the status arrives (no polling: a lane scanning every recorded
// call every few ms loaded the event loop the bot and the fake share). `at` is still the fake's
// receipt time.
const status = (sha: string, states: string[]) =>
  github.next((r) => r.path.endsWith(`/statuses/${sha}`) && states.includes(String(r.body.state)));

const ack: number[] = [];
const pending: number[] = [];
const firstPending: number[] = [];
const laterPending: number[] = [];
const total: number[] = [];
let failed = 0;
// The bot is up once it answers /healthz with a 200, which it does once its start-up warm-up is
// done (bot/warm.ts; 503 "starting" until then, 5 s at most); the sender's own HTTP client (fetch
// loads undici and compiles its parser) has then made its first request before the first push is
// timed.
for (let up = false; !up; ) {
  up = await fetch(`${bot.url}/healthz`).then(
    async (r) => {
      await r.text();
      return r.ok;
    },
    () => false,
  );
  if (!up) {
    if (botProcess.exitCode !== null) throw new Error(`the bot exited: ${warnings.join("\n")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
// Pushes reach a bot that has started: what it does while starting (bot/warm.ts: the installation
// token) is done, as it is by the time a real push arrives. Their own first runs are still timed.
await github.next((r) => /\/app\/installations\/\d+\/access_tokens$/.test(r.path));
const t0 = performance.now();
await Promise.all(
  lanes.map(async (lane, li) => {
    for (let i = li; i < N; i += LANES) {
      const sha = randomBytes(20).toString("hex");
      github.data.commit(sha, { "tinyforge.yml": config }, lane);
      const body = JSON.stringify(push(sha, lane));
      const sent = Date.now();
      const res = await fetch(`${bot.url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": githubSignature(SECRET, body),
        },
        body,
      });
      await res.text();
      ack.push(Date.now() - sent);
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      const ms = (await status(sha, ["pending"])).at - sent;
      pending.push(ms);
      // Each lane's first push meets a bot that has just started (code not yet compiled by V8),
      // all lanes at once: said apart, and still counted in the percentiles.
      (i < LANES ? firstPending : laterPending).push(ms);
      const end = await status(sha, ["success", "failure"]);
      total.push(end.at - sent);
      if (end.body.state === "failure") failed++;
    }
  }),
);
const wall = performance.now() - t0;
// SIGTERM: the bot lets its running deploys finish, then exits (as under systemd).
botProcess.kill("SIGTERM");
await botExited;
await github.stop();

const docker = new Dockerode({ socketPath: tb.dockerSocket });
for (const c of await docker.listContainers({
  all: true,
  filters: { label: [`dev.tinyforge.project=${project}`] },
}))
  await docker
    .getContainer(c.Id)
    .remove({ force: true })
    .catch(() => undefined);
rmSync(dir, { recursive: true, force: true });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const row = (name: string, xs: number[]) =>
  `| ${name.padEnd(36)} | ${String(pct(xs, 50)).padStart(6)} | ${String(pct(xs, 99)).padStart(6)} | ${String(Math.max(...xs)).padStart(6)} |`;

console.log(
  `\nwebhook → pending status: ${N} push webhooks, ${LANES} lanes, GitHub App bot (Probot) in a process of its own`,
);
console.log(`| ${"ms".padEnd(36)} | ${"p50".padStart(6)} | ${"p99".padStart(6)} | ${"max".padStart(6)} |`);
console.log(`|${"-".repeat(38)}|${"-".repeat(8)}|${"-".repeat(8)}|${"-".repeat(8)}|`);
console.log(row("webhook answered (HTTP 200)", ack));
console.log(row("pending status received by GitHub", pending));
console.log(row(`  of which the first ${LANES}, all at once`, firstPending));
console.log(row(`  the other ${laterPending.length}`, laterPending));
console.log(row("deploy finished (final status)", total));
console.log(`${failed} failed deploys; ${(wall / 1000).toFixed(1)} s wall; ${warnings.length} warnings`);
console.log(
  JSON.stringify({
    bench: "webhook-to-pending",
    webhooks: N,
    lanes: LANES,
    ackMs: { p50: pct(ack, 50), p99: pct(ack, 99) },
    pendingMs: { p50: pct(pending, 50), p99: pct(pending, 99), max: Math.max(...pending) },
    firstPendingMs: { max: Math.max(...firstPending) },
    laterPendingMs: { p50: pct(laterPending, 50), p99: pct(laterPending, 99) },
    deployMs: { p50: pct(total, 50), p99: pct(total, 99) },
    failed,
    wallMs: Math.round(wall),
  }),
);
if (failed > 0 || warnings.length > 0) {
  for (const w of warnings.slice(0, 5)) console.error(`warning: ${w}`);
  process.exitCode = 1;
}
