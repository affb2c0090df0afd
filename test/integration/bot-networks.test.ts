// Projects that share a bot share its Docker hosts. On Docker's default bridge every container
// reaches every other by IP (a database, an admin port), so the bot runs each project's
// workloads on the stage's own network, tf_P_S: here one bot deploys two projects (one from the
// GitHub fake, one from the Gitea fake) to the real engine over sshd, routed through the
// testbed's Caddy, and neither container can open a connection to the other.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { RunningBot } from "../../bot/main.js";
import { CaddyProxy } from "../../src/adapters/proxy/caddy.js";
import { FakeGitea } from "../fakes/gitea-server.js";
import { FakeGitHub } from "../fakes/github-server.js";
import {
  APP_ID,
  appKeys,
  botConfigFileOf,
  botProject,
  captureLog,
  deliverGitea,
  deliverGitHub,
  githubPush,
  INSTALLATION,
  type Payload,
  REPO,
  sha,
  start,
} from "./bot-harness.js";
import { docker, fastHealth, projectContainers, removeProject, tb } from "./harness.js";
import { DOMAIN, openTestHost, ptb, viaProxy } from "./proxy-harness.js";
import { uniqueName } from "./testbed.js";

const SECRET = `whsec-${randomBytes(8).toString("hex")}`;
const GITHUB_TOKEN = `ghs_${randomBytes(12).toString("hex")}`;
const GITEA_TOKEN = `gt_${randomBytes(12).toString("hex")}`;
const BLOG_REPO = "octo/blog";

const shop = uniqueName("netshop");
const blog = uniqueName("netblog");
const zone = (p: string) => `${p}.${DOMAIN}`;
const prodHost = (p: string) => `stage-production-${p}.${zone(p)}`;
const caddy = { driver: "caddy", admin: ptb.caddy.admin, server: ptb.caddy.server };

let github: FakeGitHub;
let gitea: FakeGitea;
let bot: RunningBot;
const logs = captureLog();

function repoYaml(project: string, web: Record<string, unknown> = {}): string {
  return stringify({
    project,
    domain: zone(project),
    stages: { production: { branch: "main" } },
    workloads: {
      web: {
        source: "image",
        image: `${tb.registry}/tinyforge/web:v1`,
        port: tb.webPort,
        healthcheck: fastHealth,
        drain: "100ms",
        stop_timeout: "1s",
        ...web,
      },
    },
  });
}

/** Pushes main of shop (GitHub) or blog (Gitea) with this tinyforge.yml; its commit statuses. */
async function push(project: string, yaml: string): Promise<Array<{ state: string; description?: string }>> {
  const s = sha();
  if (project === shop) {
    github.data.commit(s, { "tinyforge.yml": yaml }, "main");
    expect((await deliverGitHub(bot, "push", githubPush(s), SECRET)).status).toBe(200);
  } else {
    gitea.data.commit(s, { "tinyforge.yml": yaml }, "main");
    const p: Payload = JSON.parse(
      readFileSync(join(import.meta.dirname, "..", "fixtures", "gitea", "push.json"), "utf8"),
    );
    p.after = s;
    p.repository = { ...p.repository, name: "blog", full_name: BLOG_REPO };
    expect((await deliverGitea(bot, "push", p, SECRET)).status).toBe(200);
  }
  await bot.whenIdle();
  const statuses = project === shop ? github.statuses : gitea.statuses;
  return statuses.filter((x) => x.sha === s);
}

/** The project's serving container: its id and, on each network it is on, its address. */
async function serving(project: string) {
  const c = (await projectContainers(project)).find((x) => x.State === "running");
  if (!c) throw new Error(`${project}: nothing runs`);
  const info = await docker.getContainer(c.Id).inspect();
  const addresses = Object.fromEntries(
    Object.entries(info.NetworkSettings.Networks).map(([name, n]) => [name, n.IPAddress]),
  );
  return { id: c.Id, mode: info.HostConfig.NetworkMode, addresses };
}

/** Whether `from` gets the app's answer from ip:port: an HTTP request over busybox nc, bounded. */
async function reaches(from: string, ip: string): Promise<boolean> {
  const exec = await docker.getContainer(from).exec({
    Cmd: ["sh", "-c", `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 5 nc -w 3 ${ip} ${tb.webPort}`],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  await new Promise((resolve) => stream.on("end", resolve));
  return Buffer.concat(chunks).toString("latin1").includes("200 OK");
}

beforeAll(async () => {
  const keys = appKeys();
  github = await new FakeGitHub(GITHUB_TOKEN, REPO).start();
  github.app = { id: APP_ID, publicKey: keys.publicKey, installationId: INSTALLATION };
  gitea = await new FakeGitea(GITEA_TOKEN, BLOG_REPO).start();
  bot = await start(
    {
      APP_ID: String(APP_ID),
      PRIVATE_KEY: keys.privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.url.replace("http://", ""),
      GHE_PROTOCOL: "http",
      GITEA_URL: gitea.url,
      GITEA_TOKEN,
      GITEA_WEBHOOK_SECRET: SECRET,
      TINYFORGE_BOT_CONFIG: botConfigFileOf({
        [shop]: botProject("github", { proxy: caddy, domains: [`*.${zone(shop)}`] }),
        [blog]: botProject("gitea", { repo: BLOG_REPO, proxy: caddy, domains: [`*.${zone(blog)}`] }),
      }),
    },
    logs.log,
  );
}, 60_000);

afterAll(async () => {
  await bot?.whenIdle();
  await bot?.close();
  await github?.stop();
  await gitea?.stop();
  const host = await openTestHost();
  const proxy = new CaddyProxy(host, { admin: ptb.caddy.admin, server: ptb.caddy.server, tls: false });
  for (const p of [shop, blog]) await proxy.remove(prodHost(p)).catch(() => undefined);
  await host.close();
  // Containers first: a network still in use is not removed.
  await removeProject(shop);
  await removeProject(blog);
}, 60_000);

describe("the bot keeps projects on a shared host apart", () => {
  it("two projects' containers run on their own stage networks, serve through their routes, and cannot reach each other", async () => {
    for (const p of [shop, blog])
      expect(
        (await push(p, repoYaml(p))).map((x) => x.state),
        logs.lines.join("\n"),
      ).toEqual(["pending", "success"]);
    const a = await serving(shop);
    const b = await serving(blog);

    // Each serves through its route (Caddy reaches the port published on the host's loopback).
    expect(await viaProxy(ptb.caddy.port, prodHost(shop))).toEqual({ status: 200, body: "v1" });
    expect(await viaProxy(ptb.caddy.port, prodHost(blog))).toEqual({ status: 200, body: "v1" });

    // The same request that reaches a container's own address does not cross to the other project.
    const [aIp] = Object.values(a.addresses);
    const [bIp] = Object.values(b.addresses);
    expect(await reaches(a.id, aIp!)).toBe(true);
    expect(await reaches(b.id, bIp!)).toBe(true);
    expect(await reaches(a.id, bIp!)).toBe(false);
    expect(await reaches(b.id, aIp!)).toBe(false);

    // Each on its own network as its primary one, and on no other (Docker's bridge least of all).
    expect([a.mode, Object.keys(a.addresses)]).toEqual([`tf_${shop}_production`, [`tf_${shop}_production`]]);
    expect([b.mode, Object.keys(b.addresses)]).toEqual([`tf_${blog}_production`, [`tf_${blog}_production`]]);
    const labels = (await docker.getNetwork(`tf_${shop}_production`).inspect()).Labels;
    expect(labels).toEqual({ "dev.tinyforge.project": shop, "dev.tinyforge.stage": "production" });
  }, 120_000);

  it("a pushed network: bridge is refused naming the key; the serving version stays", async () => {
    const before = await serving(shop);
    const statuses = await push(shop, repoYaml(shop, { network: "bridge" }));
    expect(statuses.map((x) => x.state)).toEqual(["failure"]);
    expect(statuses[0]!.description).toMatch(
      /^Invalid tinyforge\.yml: workloads\.web\.network: bridge is refused \(Docker's default bridge/,
    );
    expect((await serving(shop)).id).toBe(before.id);
    expect(await viaProxy(ptb.caddy.port, prodHost(shop))).toEqual({ status: 200, body: "v1" });
  }, 60_000);
});
