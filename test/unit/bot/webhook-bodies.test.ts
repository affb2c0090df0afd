// Webhook bodies are refused before they are read: too large by Content-Length, or past the
// budget every delivery being read at once shares. The handler never sees a refused request.
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BodyBudget } from "../../../bot/body-limit.js";
import { silentLogger } from "../../../bot/forge/types.js";
import { createBotServer, readBody } from "../../../bot/server.js";

const MB = 1024 * 1024;
let handled = 0;
let port = 0;
const server = createBotServer({
  // Every receiver reads its body this way; the handler counts what reached it.
  github: async (req, res) => {
    handled++;
    const body = await readBody(req, 25 * MB);
    res.writeHead(body ? 401 : 413).end();
  },
  gitea: async (_req, res) => {
    handled++;
    res.writeHead(401).end();
  },
  slack: async (_req, res) => {
    handled++;
    res.writeHead(401).end();
  },
  events: async () => undefined,
  health: () => ({}),
  log: silentLogger,
  bodies: new BodyBudget(25 * MB, 50 * MB),
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

/** Sends only the headers of a POST declaring `length` bytes; resolves with the status, if one comes. */
function declare(path: string, length: number) {
  const req = request({ port, path, method: "POST", headers: { "content-length": String(length) } });
  const status = new Promise<number>((resolve) => {
    req.on("response", (res) => resolve(res.statusCode ?? 0));
    req.on("error", () => resolve(-1));
  });
  req.flushHeaders();
  return { req, status };
}

describe("webhook bodies", () => {
  it.each(["/api/github/webhooks", "/api/gitea/webhooks", "/slack/events"])(
    "%s refuses a body declared over 25 MB with 413 before reading a byte of it",
    async (path) => {
      const before = handled;
      const { req, status } = declare(path, 26 * MB);
      expect(await status).toBe(413);
      req.destroy();
      expect(handled).toBe(before);
    },
  );

  it("answers 503 to deliveries past the shared budget while large ones are being read", async () => {
    const before = handled;
    const slow = [declare("/api/github/webhooks", 24 * MB), declare("/api/github/webhooks", 24 * MB)];
    await new Promise((r) => setTimeout(r, 200));
    const third = declare("/api/gitea/webhooks", 24 * MB);
    expect(await third.status).toBe(503);
    expect(handled).toBe(before + 2);
    for (const s of slow) s.req.destroy();
    third.req.destroy();
    // Their reservations are released when they end: a small delivery is read again.
    await new Promise((r) => setTimeout(r, 200));
    const res = await fetch(`http://127.0.0.1:${port}/api/gitea/webhooks`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
  });

  it("a chunked body past the cap is cut off by the streaming read", async () => {
    const big = new ReadableStream({
      start(c) {
        for (let i = 0; i < 27; i++) c.enqueue(new Uint8Array(MB));
        c.close();
      },
    });
    const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      body: big,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });
});
