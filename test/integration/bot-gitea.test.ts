// The Gitea receiver end to end: HMAC-signed push, pull_request and issue_comment deliveries
// (Gitea's own payload shapes, test/fixtures/gitea) against the local Gitea fake, deploys on the
// real engine over sshd — and the events API reading those deploys back, paged and live.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBot } from "../../bot/main.js";
import { FakeGitea, GITEA_BOT_LOGIN } from "../fakes/gitea-server.js";
import { botFor, captureLog, deliverGitea, type Payload, REPO, sha, until } from "./bot-harness.js";
import { get, projectContainers, removeProject } from "./harness.js";

const SECRET = `gitea-${randomBytes(8).toString("hex")}`;
const TOKEN = `gt_${randomBytes(12).toString("hex")}`;
const fixture = (name: string): Payload =>
  JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "gitea", `${name}.json`), "utf8"));

let gitea: FakeGitea;
let bots: ReturnType<typeof botFor>;
let bot: RunningBot;
const logs = captureLog();

beforeAll(async () => {
  gitea = await new FakeGitea(TOKEN, REPO).start();
  bots = botFor(
    "gitea",
    { GITEA_URL: gitea.url, GITEA_TOKEN: TOKEN, GITEA_WEBHOOK_SECRET: SECRET },
    logs.log,
  );
});

afterAll(async () => {
  await bots?.close();
  await gitea?.stop();
  for (const p of bots?.projects ?? []) await removeProject(p);
});

/** This test's project, and the bot (as the module's `bot`) that serves it. */
async function newRepoConfig() {
  const next = await bots.next();
  bot = next.bot;
  return next.rc;
}

const statesOf = (s: string) => gitea.statuses.filter((x) => x.sha === s).map((x) => x.state);
const push = (after: string) => ({ ...fixture("push"), after });
const pull = (action: string, number: number, head: string) => {
  const p = fixture("pull_request");
  p.action = action;
  p.number = number;
  p.pull_request.number = number;
  p.pull_request.head.sha = head;
  return p;
};

describe("Gitea receiver", () => {
  it("push to main: pending → success through the Gitea API, the container serves it", async () => {
    const rc = await newRepoConfig();
    const s1 = sha();
    gitea.data.commit(s1, { "tinyforge.yml": rc.yaml("v1") }, "main");
    const r = await deliverGitea(bot, "push", push(s1), SECRET);
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(2000);
    await bot.whenIdle();
    const st = gitea.statuses.filter((x) => x.sha === s1);
    expect(st.map((x) => [x.state, x.context])).toEqual([
      ["pending", "tinyforge"],
      ["success", "tinyforge"],
    ]);
    expect((await get(st[1]!.target_url)).body).toBe("v1");
    // The config was read at the pushed SHA through the raw endpoint, with the bot's token.
    const raw = gitea.calls(/\/raw\/tinyforge\.yml$/).at(-1)!;
    expect(raw.query.get("ref")).toBe(s1);
    expect(raw.headers.authorization).toBe(`token ${TOKEN}`);
  });

  it("a bad or missing signature: 401, nothing parsed, nothing runs", async () => {
    const rc = await newRepoConfig();
    const s1 = sha();
    gitea.data.commit(s1, { "tinyforge.yml": rc.yaml("v1") }, "main");
    const n0 = gitea.requests.length;
    const bad = await deliverGitea(bot, "push", push(s1), SECRET, "0".repeat(64));
    const none = await deliverGitea(bot, "push", push(s1), SECRET, null);
    const other = await deliverGitea(bot, "push", push(s1), "another-secret");
    const pr = await deliverGitea(bot, "pull_request", pull("opened", 8, s1), SECRET, "f".repeat(64));
    expect([bad.status, none.status, other.status, pr.status]).toEqual([401, 401, 401, 401]);
    await bot.whenIdle();
    expect(gitea.requests.length).toBe(n0);
    expect(statesOf(s1)).toEqual([]);
    expect(await projectContainers(rc.project)).toEqual([]);
  });

  it("pull request opened → synchronized → closed: one comment kept up to date, preview up then gone", async () => {
    const rc = await newRepoConfig();
    const [s1, s2] = [sha(), sha()];
    gitea.data.commit(s1, { "tinyforge.yml": rc.yaml("v1") });
    gitea.data.commit(s2, { "tinyforge.yml": rc.yaml("v2") });
    expect((await deliverGitea(bot, "pull_request", pull("opened", 3, s1), SECRET)).status).toBe(200);
    await bot.whenIdle();
    expect(statesOf(s1)).toEqual(["pending", "success"]);
    const first = gitea.comments(3);
    expect(first).toHaveLength(1);
    expect(first[0]!.user).toBe(GITEA_BOT_LOGIN);
    expect(first[0]!.body).toContain("`pr-3`");
    const url1 = gitea.statuses.find((x) => x.sha === s1 && x.state === "success")!.target_url;
    expect((await get(url1)).body).toBe("v1");

    // Gitea says "synchronized".
    await deliverGitea(bot, "pull_request", pull("synchronized", 3, s2), SECRET);
    await bot.whenIdle();
    const second = gitea.comments(3);
    expect(second).toHaveLength(1);
    expect(second[0]!.body).toContain(`\`${s2.slice(0, 7)}\` | ✅ deployed`);
    const url2 = gitea.statuses.find((x) => x.sha === s2 && x.state === "success")!.target_url;
    expect((await get(url2)).body).toBe("v2");

    await deliverGitea(bot, "pull_request", pull("closed", 3, s2), SECRET);
    await bot.whenIdle();
    expect(gitea.comments(3)).toHaveLength(1);
    expect(gitea.comments(3)[0]!.body).toContain("🧹 removed");
    expect(await projectContainers(rc.project)).toEqual([]);
  });

  it("/deploy on a PR: a collaborator gets 👀 and a reply; someone else a refusal and nothing runs", async () => {
    const rc = await newRepoConfig();
    const head = sha();
    gitea.data.commit(head, { "tinyforge.yml": rc.yaml("v1") });
    gitea.data.pulls.set(4, {
      number: 4,
      state: "open",
      head: { sha: head, ref: "landing", repo: REPO },
      base: { ref: "main", repo: REPO },
    });
    gitea.data.permissions.set("alice", "write");
    const comment = (id: number, login: string) => {
      const p = fixture("issue_comment");
      p.issue.number = 4;
      p.comment.id = id;
      p.comment.user.login = login;
      p.sender.login = login;
      return p;
    };

    await deliverGitea(bot, "issue_comment", comment(80, "mallory"), SECRET);
    await bot.whenIdle();
    expect(gitea.comments(4).map((c) => c.body)).toEqual([
      expect.stringMatching(/^@mallory sorry, only people with write access/),
    ]);
    expect(statesOf(head)).toEqual([]);
    expect(gitea.data.reactions).not.toContainEqual(expect.objectContaining({ commentId: 80 }));

    await deliverGitea(bot, "issue_comment", comment(81, "alice"), SECRET);
    await bot.whenIdle();
    expect(gitea.data.reactions).toContainEqual({ commentId: 81, content: "eyes", user: GITEA_BOT_LOGIN });
    expect(statesOf(head)).toEqual(["pending", "success"]);
    const reply = gitea.comments(4).find((c) => c.body.startsWith("@alice"));
    expect(reply?.body).toContain("✅ deployed `web` (pr-4) to preview");
  });
});

describe("events API", () => {
  it("pages a workload's events newest first, filters by level, and streams new ones live", async () => {
    const rc = await newRepoConfig();
    const s1 = sha();
    gitea.data.commit(s1, { "tinyforge.yml": rc.yaml("v1") }, "main");
    await deliverGitea(bot, "push", push(s1), SECRET);
    await bot.whenIdle();

    const api = (q = "", id = `${rc.project}.web`) => fetch(`${bot.url}/api/workloads/${id}/events${q}`);
    const all = (await (await api()).json()) as {
      events: Array<Record<string, string>>;
      next: string | null;
    };
    expect(all.events.length).toBeGreaterThan(3);
    expect(all.events.every((e) => e.workload === "web" && /^[0-9A-Z]{26}\.\d+$/.test(e.id!))).toBe(true);
    expect(all.events.some((e) => e.msg!.includes(s1.slice(0, 12)))).toBe(true);
    const ts = all.events.map((e) => e.ts!);
    expect([...ts].sort().reverse()).toEqual(ts); // newest first

    const p1 = (await (await api("?limit=2")).json()) as typeof all;
    expect(p1.events.map((e) => e.id)).toEqual(all.events.slice(0, 2).map((e) => e.id));
    const p2 = (await (await api(`?limit=2&before=${p1.next}`)).json()) as typeof all;
    expect(p2.events.map((e) => e.id)).toEqual(all.events.slice(2, 4).map((e) => e.id));

    const infoUp = (await (await api("?level=info")).json()) as typeof all;
    expect(infoUp.events.every((e) => e.level !== "debug")).toBe(true);
    const errors = (await (await api("?level=error")).json()) as typeof all;
    expect(errors.events.every((e) => e.level === "error")).toBe(true);

    expect((await api("?level=loud")).status).toBe(400);
    expect((await api("", rc.project)).status).toBe(400);
    expect((await api("", "nope.web")).status).toBe(404);
    expect((await api("", `${rc.project}.api`)).status).toBe(404);

    // Live: a stream opened now sees the next deploy's events as they happen.
    const ac = new AbortController();
    const res = await fetch(`${bot.url}/api/workloads/${rc.project}.web/events?level=info`, {
      headers: { accept: "text/event-stream" },
      signal: ac.signal,
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const seen: Array<Record<string, string>> = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buf = "";
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = frame.split("\n").find((l) => l.startsWith("data: "));
          if (data) seen.push(JSON.parse(data.slice(6)));
        }
      }
    })().catch(() => undefined);
    await until(() => bot.hub.subscribers > 0, 5000, "the stream to subscribe");
    const s2 = sha();
    gitea.data.commit(s2, { "tinyforge.yml": rc.yaml("v2") }, "main");
    await deliverGitea(bot, "push", push(s2), SECRET);
    await bot.whenIdle();
    await until(() => seen.some((e) => e.msg!.includes("serves")), 5000, "the live deploy events");
    ac.abort();
    await reading;
    expect(seen.some((e) => e.msg!.includes(s2.slice(0, 12)))).toBe(true);
    expect(seen.every((e) => e.workload === "web" && e.level !== "debug")).toBe(true);
    // The live ids are the ones the paged API gives the same events.
    const paged = (await (await api("?level=info")).json()) as typeof all;
    const live = seen.find((e) => e.msg!.includes("serves"))!;
    expect(paged.events.find((e) => e.id === live.id)?.msg).toBe(live.msg);
  });
});
