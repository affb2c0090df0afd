// The server's routing and the Gitea receiver's gate, without a forge or an engine behind them.
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventsApi } from "../../../bot/api/events.js";
import type { HostHistory } from "../../../bot/api/history.js";
import { EventHub } from "../../../bot/api/hub.js";
import { parseBotConfig } from "../../../bot/config.js";
import type { ForgeFlows } from "../../../bot/forge/flows.js";
import { silentLogger } from "../../../bot/forge/types.js";
import { giteaReceiver } from "../../../bot/gitea/receiver.js";
import { giteaSignature } from "../../../bot/gitea/verify.js";
import { createBotServer } from "../../../bot/server.js";
import { FakeRepoApi } from "./fake-repo-api.js";

const seen: string[] = [];
const flows = {
  push: (_api: unknown, e: { after: string }) => {
    seen.push(`push ${e.after}`);
    return "queued";
  },
  pullRequest: (_api: unknown, e: { action: string }) => {
    seen.push(`pr ${e.action}`);
    return "preview queued";
  },
  comment: () => "ignored",
  durable: async () => undefined,
} as unknown as ForgeFlows;

let url = "";
const server = createBotServer({
  gitea: giteaReceiver({ secret: "s3cret", flows, api: () => new FakeRepoApi(), log: silentLogger }),
  events: eventsApi({
    config: parseBotConfig("projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n"),
    history: { page: async () => ({ events: [], next: null }) } as unknown as HostHistory,
    hub: new EventHub(),
    token: "api-token",
  }),
  health: () => ({ tasks: 0 }),
  log: silentLogger,
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const gitea = (event: string, body: string, sig: string | null = giteaSignature("s3cret", body)) =>
  fetch(`${url}/api/gitea/webhooks`, {
    method: "POST",
    headers: {
      "x-gitea-event": event,
      "content-type": "application/json",
      ...(sig ? { "x-gitea-signature": sig } : {}),
    },
    body,
  });

describe("bot server", () => {
  it("health, unknown paths, disabled routes, wrong methods", async () => {
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true, tasks: 0 });
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const gh = await fetch(`${url}/api/github/webhooks`, { method: "POST", body: "{}" });
    expect(gh.status).toBe(404);
    expect((await gh.json()) as object).toEqual({ error: "/api/github/webhooks is not enabled on this bot" });
    expect((await fetch(`${url}/slack/events`, { method: "POST" })).status).toBe(404);
    const get = await fetch(`${url}/api/gitea/webhooks`);
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
  });

  it("Gitea: signed deliveries reach the flows; unsigned or wrongly signed ones never do", async () => {
    const push = JSON.stringify({
      ref: "refs/heads/main",
      after: "c".repeat(40),
      repository: { full_name: "octo/shop" },
    });
    expect((await gitea("push", push, null)).status).toBe(401);
    expect((await gitea("push", push, giteaSignature("other", push))).status).toBe(401);
    expect(seen).toEqual([]);
    const ok = await gitea("push", push);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, result: "queued" });
    const pr = JSON.stringify({
      action: "synchronized",
      number: 2,
      pull_request: { head: { sha: "d".repeat(40), ref: "f", repo: { full_name: "octo/shop" } } },
      repository: { full_name: "octo/shop" },
    });
    expect((await gitea("pull_request", pr)).status).toBe(200);
    expect(seen).toEqual([`push ${"c".repeat(40)}`, "pr synchronize"]);
    expect((await gitea("push", "not json")).status).toBe(400);
    expect((await gitea("push", JSON.stringify({ ref: 1 }))).status).toBe(400);
    expect(await (await gitea("release", "{}")).json()).toEqual({ ok: true, result: "ignored: release" });
  });

  it("Gitea: a repository with its own secret is signed with that one only, never the shared one", async () => {
    const got: string[] = [];
    const receiver = giteaReceiver({
      secret: "shared",
      repoSecrets: new Map([["octo/shop", "shop-own"]]),
      flows: {
        ...flows,
        push: (_api: unknown, e: { after: string }) => {
          got.push(e.after);
          return "queued";
        },
      } as unknown as ForgeFlows,
      api: () => new FakeRepoApi(),
      log: silentLogger,
    });
    const own = createBotServer({
      gitea: receiver,
      events: async (_req, res) => void res.writeHead(404).end(),
      health: () => ({ tasks: 0 }),
      log: silentLogger,
    });
    await new Promise<void>((r) => own.listen(0, "127.0.0.1", r));
    const at = `http://127.0.0.1:${(own.address() as AddressInfo).port}/api/gitea/webhooks`;
    const send = (body: string, secret: string) =>
      fetch(at, {
        method: "POST",
        headers: { "x-gitea-event": "push", "x-gitea-signature": giteaSignature(secret, body) },
        body,
      }).then((r) => r.status);
    const push = (repo: string, after: string) =>
      JSON.stringify({ ref: "refs/heads/main", after, repository: { full_name: repo } });
    try {
      // Signed with the shared secret, saying it comes from the repository with its own: refused.
      expect(await send(push("Octo/Shop", "a".repeat(40)), "shared")).toBe(401);
      expect(await send(push("octo/shop", "b".repeat(40)), "shop-own")).toBe(200);
      // Another repository's delivery is still signed with the shared one, and not with shop's.
      expect(await send(push("octo/blog", "c".repeat(40)), "shop-own")).toBe(401);
      expect(await send(push("octo/blog", "d".repeat(40)), "shared")).toBe(200);
      expect(got).toEqual(["b".repeat(40), "d".repeat(40)]);
    } finally {
      await new Promise<void>((r) => own.close(() => r()));
    }
  });

  it("the events API wants its bearer token when one is set", async () => {
    expect((await fetch(`${url}/api/workloads/shop.web/events`)).status).toBe(401);
    const ok = await fetch(`${url}/api/workloads/shop.web/events`, {
      headers: { authorization: "Bearer api-token" },
    });
    expect(await ok.json()).toEqual({ workload: "shop.web", events: [], next: null });
    const post = await fetch(`${url}/api/workloads/shop.web/events`, { method: "POST" });
    expect(post.status).toBe(405);
  });
});
