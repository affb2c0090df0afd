import { createServer, type Server } from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpGet, httpRequest } from "../../../src/adapters/http-get.js";

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/cut") {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

// Opens the connection the way the SSH tunnel does: asynchronously, handed over when ready.
const open = () =>
  new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", reject);
  });

describe("an HTTP call over an opened stream", () => {
  it("answers a plain GET", async () => {
    expect(await httpGet(open, port, "/healthz", 5000)).toEqual({ status: 200, body: "ok" });
  });

  it.each(["/health check", "/a\r\nX-Injected: 1", "/a\nb"])(
    "rejects a path it cannot send (%j) instead of throwing out of band",
    async (path) => {
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown) => unhandled.push(e);
      process.on("unhandledRejection", onUnhandled);
      try {
        // The bound is far beyond the test's own timeout: only a prompt rejection passes.
        await expect(httpGet(open, port, path, 60_000)).rejects.toThrow(/unescaped|invalid/i);
        await expect(httpGet(undefined, port, path, 60_000)).rejects.toThrow(/unescaped|invalid/i);
      } finally {
        await new Promise((r) => setTimeout(r, 10));
        process.off("unhandledRejection", onUnhandled);
      }
      expect(unhandled).toEqual([]);
    },
    5000,
  );

  it("goes over the opened stream, never a connection of its own to the port", async () => {
    // The port named is closed: only the stream (the SSH tunnel's stand-in) reaches the server.
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const nothing = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    let opened: net.Socket | undefined;
    const tunnel = async () => {
      opened = await open();
      return opened;
    };
    expect(await httpGet(tunnel, nothing, "/healthz", 5000)).toEqual({ status: 200, body: "ok" });
    expect(
      await httpRequest(tunnel, nothing, { method: "GET", path: "/healthz", timeoutMs: 5000 }),
    ).toMatchObject({ status: 200, body: "ok" });
    // Used, so closed after the answer (connection: close), not left open on the far side.
    await new Promise((r) => setTimeout(r, 50));
    expect(opened?.destroyed).toBe(true);
  });

  it("rejects at once when the connection closes mid-answer", async () => {
    const t0 = Date.now();
    await expect(
      httpRequest(open, port, { method: "GET", path: "/cut", timeoutMs: 60_000 }),
    ).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(5000);
  }, 10_000);
});
