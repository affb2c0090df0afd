// Public-only calls (a webhook a repository chose, in the bot): an address that is not public is
// refused when the connection is made, whatever the name resolved to when the config was checked,
// and a connection kept alive for the operator's own calls (a forge on the private network) never
// carries one. Names under .test resolve to loopback here, as a rebinding name would.
import { createServer, type Server } from "node:http";
import type * as Dns from "node:dns";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("node:dns", async (importOriginal) => {
  const real = await importOriginal<typeof Dns>();
  const lookup = ((hostname: string, options: unknown, callback: unknown) => {
    if (!hostname.endsWith(".test")) return real.lookup(hostname, options as object, callback as never);
    const cb = callback as (e: null, a: unknown, f?: number) => void;
    if ((options as { all?: boolean }).all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
    else cb(null, "127.0.0.1", 4);
  }) as typeof Dns.lookup;
  return { ...real, default: { ...real, lookup }, lookup };
});

const { safeFetch } = await import("../../../src/net/fetch.js");

describe("public-only calls", () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(200).end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("a name that resolves to loopback is refused as it connects; nothing reaches the server", async () => {
    hits = 0;
    await expect(
      safeFetch(`http://rebound.test:${port}/stop`, { method: "POST", body: "{}", publicOnly: true }),
    ).rejects.toThrow("refused rebound.test: 127.0.0.1 is not a public address");
    expect(hits).toBe(0);
  });

  it("a literal loopback address or localhost is refused before any connection", async () => {
    await expect(safeFetch(`http://127.0.0.1:${port}/`, { publicOnly: true })).rejects.toThrow(
      "refused 127.0.0.1: 127.0.0.1 is not a public address",
    );
    await expect(safeFetch(`http://localhost:${port}/`, { publicOnly: true })).rejects.toThrow(
      "refused localhost: localhost is a loopback name",
    );
  });

  it("a connection kept alive for the operator's call to that name is never reused for a public-only one", async () => {
    hits = 0;
    const url = `http://forge.test:${port}/api`;
    expect((await safeFetch(url)).status).toBe(200);
    await expect(safeFetch(url, { publicOnly: true })).rejects.toThrow(
      /127\.0\.0\.1 is not a public address/,
    );
    expect(hits).toBe(1);
  });
});
