// The bot's trust boundary, attacked the way someone with push access would: a hostile
// tinyforge.yml pushed through a correctly signed webhook to the real bot (startBot, as
// `npx tinyforge-bot` runs it) against the GitHub fake, deploying on the real engine over sshd
// and routing through the testbed's Caddy. One test per attack; after each, the production
// version keeps serving through Caddy and the bot keeps answering /healthz.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { main, type RunningBot } from "../../bot/main.js";
import { CaddyProxy } from "../../src/adapters/proxy/caddy.js";
import type { Host } from "../../src/ports/host.js";
import { FakeGitHub } from "../fakes/github-server.js";
import {
  APP_ID,
  appKeys,
  botConfigFileOf,
  botProject,
  captureLog,
  deliverGitHub,
  githubComment,
  githubPull,
  githubPush,
  INSTALLATION,
  REPO,
  sha,
  start,
  sshEnv,
} from "./bot-harness.js";
import {
  docker,
  fastHealth,
  get,
  makeApp,
  projectContainers,
  readState,
  removeProject,
  tb,
} from "./harness.js";
import { DOMAIN, deployRef, openTestHost, ptb, viaProxy, webWorkload } from "./proxy-harness.js";
import { uniqueName } from "./testbed.js";

const SECRET = `whsec-${randomBytes(8).toString("hex")}`;
const TOKEN = `ghs_${randomBytes(12).toString("hex")}`;
const PROD_DB = `postgres://prod-${randomBytes(6).toString("hex")}`;
const PREVIEW_DB = `postgres://preview-${randomBytes(6).toString("hex")}`;
const BLOG_DB = `postgres://blog-${randomBytes(6).toString("hex")}`;
const STRIPE = `sk_live_${randomBytes(6).toString("hex")}`;
const MARKER = `/tmp/tf-pwned-${randomBytes(6).toString("hex")}`;

const project = uniqueName("trust");
// Another project of the same bot, deployed (by its operator, with the CLI) before the attacks.
const blog = makeApp({ web: webWorkload() });
const zone = `shop.${DOMAIN}`;
const prodHost = `stage-production-${project}.${zone}`;

let github: FakeGitHub;
let bot: RunningBot;
let host: Host;
const logs = captureLog();
const images: string[] = [];
const routed: string[] = [];

const shopGrants = {
  proxy: { driver: "caddy", admin: ptb.caddy.admin, server: ptb.caddy.server },
  domains: [`*.${zone}`],
  secrets: {
    production: { DATABASE_URL: "SHOP_PROD_DB", STRIPE_KEY: "SHOP_STRIPE" },
    preview: { DATABASE_URL: "SHOP_PREVIEW_DB" },
  },
  limits: { checkout_bytes: 2_000_000, checkout_entries: 50 },
};

/** The repo's tinyforge.yml: the testbed's web image, with the workload and top-level keys given. */
function repoYaml(
  opts: { version?: string; web?: Record<string, unknown>; top?: Record<string, unknown> } = {},
) {
  return stringify({
    project,
    domain: zone,
    stages: { production: { branch: "main" }, preview: { pull_requests: true } },
    workloads: {
      web: {
        source: "image",
        image: `${tb.registry}/tinyforge/web:${opts.version ?? "v1"}`,
        port: tb.webPort,
        healthcheck: fastHealth,
        drain: "100ms",
        stop_timeout: "1s",
        secrets: ["DATABASE_URL"],
        ...opts.web,
      },
    },
    ...opts.top,
  });
}

/** A commit at the head of main, pushed through a signed delivery; resolves once the bot is idle. */
async function pushMain(files: Record<string, string>): Promise<string> {
  const s = sha();
  github.data.commit(s, files, "main");
  expect((await deliverGitHub(bot, "push", githubPush(s), SECRET)).status).toBe(200);
  await bot.whenIdle();
  return s;
}

const statusesOf = (s: string) => github.statuses.filter((x) => x.sha === s);
const failureOf = (s: string) => statusesOf(s).find((x) => x.state === "failure")?.description ?? "";

/** What every attack must leave as it was: production serves v1, the bot answers, nothing ran. */
async function stillServing(): Promise<void> {
  expect((await viaProxy(ptb.caddy.port, prodHost)).body).toBe("v1");
  const health = await get(`${bot.url}/healthz`);
  expect(health.status).toBe(200);
  expect(existsSync(MARKER)).toBe(false);
}

const envOf = async (tag?: string) => {
  const c = (await projectContainers(project)).find(
    (x) => x.State === "running" && x.Labels["dev.tinyforge.tag"] === tag,
  );
  if (!c) return undefined;
  return ((await docker.getContainer(c.Id).inspect()).Config.Env ?? []) as string[];
};

beforeAll(async () => {
  const keys = appKeys();
  github = await new FakeGitHub(TOKEN, REPO).start();
  github.app = { id: APP_ID, publicKey: keys.publicKey, installationId: INSTALLATION };
  bot = await start(
    {
      APP_ID: String(APP_ID),
      PRIVATE_KEY: keys.privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.url.replace("http://", ""),
      GHE_PROTOCOL: "http",
      SHOP_PROD_DB: PROD_DB,
      SHOP_PREVIEW_DB: PREVIEW_DB,
      SHOP_STRIPE: STRIPE,
      BLOG_DB: BLOG_DB,
      // Two projects on one state_dir, as an operator's projects often are: the repo's `project:`
      // is all that would keep shop's deploys off blog's state and containers.
      TINYFORGE_BOT_CONFIG: botConfigFileOf({
        [project]: botProject("github", { ...shopGrants, state_dir: blog.stateDir }),
        [blog.project]: botProject("github", {
          repo: "octo/blog",
          state_dir: blog.stateDir,
          secrets: { "*": { DATABASE_URL: "BLOG_DB" } },
        }),
      }),
    },
    logs.log,
  );
  host = await openTestHost();
  routed.push(prodHost);
  // The version every attack must leave serving.
  const s = await pushMain({ "tinyforge.yml": repoYaml() });
  expect(statusesOf(s).map((x) => x.state)).toEqual(["pending", "success"]);
}, 120_000);

afterAll(async () => {
  await bot?.whenIdle();
  await bot?.close();
  await github?.stop();
  if (host) {
    const caddy = new CaddyProxy(host, { admin: ptb.caddy.admin, server: ptb.caddy.server, tls: false });
    for (const h of routed) await caddy.remove(h).catch(() => undefined);
    await host.close();
  }
  await removeProject(project);
  await removeProject(blog.project);
  for (const i of images)
    await docker
      .getImage(i)
      .remove({ force: true })
      .catch(() => undefined);
}, 60_000);

describe("the bot's trust boundary under a hostile tinyforge.yml", () => {
  it("a granted per-stage secret reaches that stage's container only, and no output carries it", async () => {
    const head = sha();
    github.data.commit(head, { "tinyforge.yml": repoYaml() });
    routed.push(`stage-preview-${project}-pr-7.${zone}`);
    await deliverGitHub(bot, "pull_request", githubPull("opened", 7, head), SECRET);
    await bot.whenIdle();
    expect(statusesOf(head).map((x) => x.state)).toEqual(["pending", "success"]);

    const prod = await envOf(undefined);
    const preview = await envOf("pr-7");
    expect(prod).toContain(`DATABASE_URL=${PROD_DB}`);
    expect(preview).toContain(`DATABASE_URL=${PREVIEW_DB}`);
    expect(prod!.join("\n")).not.toContain(PREVIEW_DB);
    expect(preview!.join("\n")).not.toContain(PROD_DB);
    // Nothing else of the bot's environment reached a container.
    for (const env of [prod!, preview!]) {
      const text = env.join("\n");
      for (const v of [STRIPE, BLOG_DB, SECRET, TOKEN, tb.sshKeyFile]) expect(text).not.toContain(v);
    }

    const events = await get(`${bot.url}/api/workloads/${project}.web/events?limit=500`);
    expect(events.status).toBe(200);
    expect(JSON.parse(events.body).events.length).toBeGreaterThan(0); // read from the bot's hosts
    const outputs = [
      JSON.stringify(github.statuses),
      JSON.stringify(github.comments(7)),
      JSON.stringify(github.deployments),
      events.body,
      logs.lines.join("\n"),
    ].join("\n");
    for (const v of [PROD_DB, PREVIEW_DB, STRIPE, BLOG_DB]) expect(outputs).not.toContain(v);
    await stillServing();
  });

  it("context escape: paths outside the checkout are refused, nothing is built", async () => {
    const s = await pushMain({
      "tinyforge.yml": repoYaml({
        web: { source: "static", image: undefined, port: undefined, context: "../../../../../../../../etc" },
        top: {},
      }),
      "index.html": "hello\n",
    });
    expect(failureOf(s)).toBe("Invalid tinyforge.yml: workloads.web.context: resolves outside the checkout");
    expect(
      await docker
        .getImage(`tinyforge/${project}_web:${s}`)
        .inspect()
        .catch(() => undefined),
    ).toBe(undefined);
    await stillServing();
  });

  it("no hosts in the bot config: the bot refuses to start (exit 2) naming projects.NAME.hosts; a repo's hosts are ignored", async () => {
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((c) => {
      stderr.push(String(c));
      return true;
    });
    let code: number;
    try {
      const { hosts: _, ...noHosts } = botProject("github");
      code = await main({
        ...sshEnv,
        PORT: "0",
        APP_ID: "1",
        PRIVATE_KEY: "k",
        WEBHOOK_SECRET: "w",
        TINYFORGE_BOT_CONFIG: botConfigFileOf({ shop: noHosts }),
      });
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(2);
    expect(stderr.join("")).toContain("projects.shop.hosts: is required");

    // The repo's hosts (here: nothing listens) are not where the bot deploys.
    const s = await pushMain({ "tinyforge.yml": repoYaml({ top: { hosts: ["ssh://root@127.0.0.1:1"] } }) });
    // The ignored keys' status goes out beside the deploy's pending, in either order.
    const config = statusesOf(s).filter((x) => x.context === "tinyforge/config");
    expect(config.map((x) => x.state)).toEqual(["success"]);
    expect(
      statusesOf(s)
        .filter((x) => x.context === "tinyforge")
        .map((x) => x.state),
    ).toEqual(["pending", "success"]);
    expect(config[0]!.description).toBe("ignored in the repo's config (the bot's operator sets it): hosts");
    await stillServing();
  });

  it("host bind mount: refused, naming workloads.web.volumes", async () => {
    const s = await pushMain({ "tinyforge.yml": repoYaml({ web: { volumes: ["/etc:/loot:ro"] } }) });
    expect(failureOf(s)).toMatch(
      /^Invalid tinyforge\.yml: workloads\.web\.volumes: host bind mounts are refused/,
    );
    await stillServing();
  });

  it("another project's secret: not granted, the config is invalid and no container gets it", async () => {
    const s = await pushMain({
      "tinyforge.yml": repoYaml({ web: { secrets: ["DATABASE_URL", "BLOG_DB"] } }),
    });
    expect(failureOf(s)).toMatch(
      /^Invalid tinyforge\.yml: workloads\.web\.secrets: BLOG_DB is not granted to stage production/,
    );
    expect((await envOf(undefined))!.join("\n")).not.toContain(BLOG_DB);
    await stillServing();
  });

  it("a secret granted to production only, asked by a preview: invalid for the preview, named with its stage", async () => {
    const head = sha();
    github.data.commit(head, {
      "tinyforge.yml": repoYaml({ web: { secrets: ["DATABASE_URL", "STRIPE_KEY"] } }),
    });
    await deliverGitHub(bot, "pull_request", githubPull("opened", 8, head), SECRET);
    await bot.whenIdle();
    expect(failureOf(head)).toMatch(
      /^Invalid tinyforge\.yml: workloads\.web\.secrets: STRIPE_KEY is not granted to stage preview/,
    );
    expect(github.comments(8)[0]?.body).toContain("STRIPE_KEY is not granted to stage preview");
    expect(await envOf("pr-8")).toBeUndefined();
    await stillServing();
  });

  it("proxy.command, state_dir and the proxy's config_dir from the repo are ignored: nothing runs on the host", async () => {
    const s = await pushMain({
      "tinyforge.yml": repoYaml({
        top: {
          proxy: { driver: "nginx", command: ["sh", "-c", `touch ${MARKER}`], config_dir: "/etc" },
          state_dir: "/",
          publish_ip: "0.0.0.0",
        },
      }),
    });
    expect(statusesOf(s).find((x) => x.context === "tinyforge/config")).toMatchObject({
      description:
        "ignored in the repo's config (the bot's operator sets them): proxy, state_dir, publish_ip",
    });
    expect(statusesOf(s).at(-1)).toMatchObject({ context: "tinyforge", state: "success" });
    await stillServing();
  });

  it("hostname takeover: a route outside projects.NAME.domains is refused before the proxy is touched", async () => {
    const victim = `stage-production-${project}.blog.${DOMAIN}`;
    routed.push(victim);
    const s = await pushMain({ "tinyforge.yml": repoYaml({ top: { domain: `blog.${DOMAIN}` } }) });
    expect(failureOf(s)).toMatch(
      new RegExp(
        `^Invalid tinyforge\\.yml: domain: ${victim.replace(/\./g, "\\.")} is not a hostname this project may route`,
      ),
    );
    const routes = await fetch(`${ptb.caddy.admin}/id/tinyforge-${victim}`);
    expect(routes.status).toBe(404);
    await stillServing();
  });

  it("a repository that names another project is refused and that project's containers keep serving", async () => {
    const deployed = await deployRef(blog, "v2", sha());
    expect(deployed.code).toBe(0);
    const serving = async () =>
      (await projectContainers(blog.project)).filter((c) => c.State === "running").map((c) => c.Id);
    const before = await serving();
    expect(before).toHaveLength(1);
    const state = readState(blog, "web.production");
    expect(state?.active).toBeDefined();

    const s = await pushMain({ "tinyforge.yml": repoYaml({ top: { project: blog.project } }) });
    expect(statusesOf(s).map((x) => x.state)).toEqual(["failure"]);
    expect(failureOf(s)).toBe(
      `Invalid tinyforge.yml: project: must be "${project}" (the bot's name for this repository), not "${blog.project}"`,
    );
    expect(await serving()).toEqual(before);
    expect((await get(deployed.result.url as string)).body).toBe("v2");
    expect(readState(blog, "web.production")).toEqual(state);
    await stillServing();
  });

  it("a replayed delivery is answered 200 and ignored", async () => {
    const s = sha();
    github.data.commit(s, { "tinyforge.yml": repoYaml() }, "main");
    const id = randomUUID();
    expect((await deliverGitHub(bot, "push", githubPush(s), SECRET, undefined, id)).status).toBe(200);
    await bot.whenIdle();
    const n = github.statuses.length;
    const replay = await deliverGitHub(bot, "push", githubPush(s), SECRET, undefined, id);
    expect(replay.status).toBe(200);
    expect(replay.body).toContain("delivery already processed");
    await bot.whenIdle();
    expect(github.statuses.length).toBe(n);
    await stillServing();
  });

  it("a stale push (its SHA no longer the branch's head) deploys nothing", async () => {
    const old = sha();
    github.data.commit(old, { "tinyforge.yml": repoYaml({ version: "v2" }) }); // not main's head
    expect((await deliverGitHub(bot, "push", githubPush(old), SECRET)).status).toBe(200);
    await bot.whenIdle();
    expect(statusesOf(old)).toEqual([]);
    expect(logs.lines.some((l) => l.includes(`${old.slice(0, 7)}: superseded`))).toBe(true);
    await stillServing();
  });

  it("tarball bomb: unpacking stops at checkout_bytes / checkout_entries with a failure status", async () => {
    const site = (files: Record<string, string>) => ({
      "tinyforge.yml": repoYaml({ web: { source: "static", image: undefined, port: undefined } }),
      ...files,
    });
    const big = await pushMain(site({ "index.html": "0".repeat(20_000_000) })); // ~20 KB gzipped
    expect(failureOf(big)).toBe(
      "Not deployed: GitHub tarball refused: the unpacked tree is larger than checkout_bytes (2000000 bytes)",
    );
    const many = await pushMain(
      site(Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`f${i}`, "x"]))),
    );
    expect(failureOf(many)).toBe(
      "Not deployed: GitHub tarball refused: more than checkout_entries (50) entries",
    );
    await stillServing();
  });

  it("constructor-style names are unknown, never found through the prototype", async () => {
    const head = sha();
    github.data.commit(head, { "tinyforge.yml": repoYaml() });
    github.data.pulls.set(9, {
      number: 9,
      state: "open",
      head: { sha: head, ref: "feature-9", repo: REPO },
      base: { ref: "main", repo: REPO },
    });
    github.data.permissions.set("alice", "write");
    await deliverGitHub(
      bot,
      "issue_comment",
      githubComment(9, "/deploy to constructor", "alice", 9101),
      SECRET,
    );
    await deliverGitHub(bot, "issue_comment", githubComment(9, "/deploy constructor", "alice", 9102), SECRET);
    await bot.whenIdle();
    const replies = github.comments(9).map((c) => c.body);
    expect(replies).toContain(
      '@alice nothing was deployed: no stage "constructor" in the config (have: production, preview)',
    );
    expect(replies).toContain(
      '@alice nothing was deployed: no workload "constructor" in the config (have: web)',
    );
    for (const path of ["constructor.web", `${project}.constructor`, "__proto__.web", "tostring.web"]) {
      const r = await get(`${bot.url}/api/workloads/${path}/events`);
      expect([path, r.status]).toEqual([path, path.startsWith("__") ? 400 : 404]);
    }
    await stillServing();
  });
});
