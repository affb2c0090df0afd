// The outbound client every forge, Slack and webhook call goes through: which addresses it refuses
// (literal, or only after DNS), that it never follows a redirect, and that loopback stays usable.
import { createServer, type Server } from "node:http";
import type { LookupAddress } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refusedAddress, refusedHost } from "../../../../src/net/address.js";
import { guardLookup, safeFetch } from "../../../../src/net/fetch.js";

describe("refused addresses", () => {
  it.each([
    "169.254.169.254",
    "169.254.0.1",
    "fe80::1",
    "febf::1",
    "::ffff:169.254.169.254",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a9fe:a9fe",
    "fd00:ec2::254",
    "100.100.100.200",
    "192.0.0.192",
    "168.63.129.16",
    "[fe80::1]",
  ])("%s is refused", (ip) => {
    expect(refusedAddress(ip)).toMatch(/link-local or cloud-metadata/);
  });

  it.each([
    "127.0.0.1",
    "::1",
    "10.0.0.5",
    "192.168.1.10",
    "172.16.0.1",
    "140.82.112.6",
    "fec0::1",
    "2606:50c0::1",
  ])("%s is allowed (loopback and private networks are where self-hosted forges live)", (ip) => {
    expect(refusedAddress(ip)).toBeUndefined();
  });

  it.each([
    "127.0.0.1",
    "::1",
    "::",
    "0.0.0.0",
    "10.0.0.5",
    "172.31.255.1",
    "192.168.1.10",
    "100.64.0.1",
    "fd12::1",
    "ff02::1",
    "255.255.255.255",
    "::ffff:127.0.0.1",
    "::ffff:a00:5",
    "64:ff9b::7f00:1",
    "64:ff9b::c0a8:10a",
    "2002:7f00:1::1",
    "[::1]",
  ])(
    "%s is not public: refused where only public addresses may be reached (a repository's webhook)",
    (ip) => {
      expect(refusedAddress(ip)).toBeUndefined();
      expect(refusedAddress(ip, true)).toMatch(/is not a public address$/);
    },
  );

  it.each(["140.82.112.6", "172.32.0.1", "2606:50c0::1", "64:ff9b::8c52:7006", "::ffff:8c52:7006"])(
    "%s is public",
    (ip) => {
      expect(refusedAddress(ip, true)).toBeUndefined();
    },
  );

  it("localhost and names under it are loopback wherever public addresses only are asked for", () => {
    expect(refusedHost("LocalHost.", true)).toBe("localhost is a loopback name");
    expect(refusedHost("api.localhost", true)).toBe("api.localhost is a loopback name");
    expect(refusedHost("localhost")).toBeUndefined();
    expect(refusedHost("169.254.169.254", true)).toMatch(/link-local or cloud-metadata/);
  });

  it("refuses metadata names whatever they resolve to", () => {
    expect(refusedHost("metadata.google.internal")).toMatch(/cloud-metadata name/);
    expect(refusedHost("METADATA.google.internal.")).toMatch(/cloud-metadata name/);
    expect(refusedHost("gitea.example.com")).toBeUndefined();
  });
});

describe("guarded DNS lookup", () => {
  const lookupWith = (addresses: LookupAddress[]) => guardLookup((_h, _o, cb) => cb(null, addresses));
  const run = (lookup: ReturnType<typeof guardLookup>, all: boolean) =>
    new Promise<{ err: Error | null; address: unknown }>((resolve) =>
      lookup("forge.test", { all }, (err, address) => resolve({ err, address })),
    );

  it("refuses a name that resolves to a metadata address", async () => {
    const r = await run(lookupWith([{ address: "169.254.169.254", family: 4 }]), false);
    expect(r.err?.message).toBe(
      "refused forge.test: 169.254.169.254 is a link-local or cloud-metadata address",
    );
  });

  it("refuses a name when any of its addresses is refused (the resolver must not pick)", async () => {
    const r = await run(
      lookupWith([
        { address: "203.0.113.7", family: 4 },
        { address: "fe80::1", family: 6 },
      ]),
      true,
    );
    expect(r.err?.message).toMatch(/fe80::1 is a link-local/);
  });

  it("public-only: refuses a name when any of its addresses is loopback or private", async () => {
    const lookup = guardLookup(
      (_h, _o, cb) =>
        cb(null, [
          { address: "140.82.112.6", family: 4 },
          { address: "10.0.0.7", family: 4 },
        ]),
      true,
    );
    expect((await run(lookup, false)).err?.message).toBe(
      "refused forge.test: 10.0.0.7 is not a public address",
    );
    const pub = guardLookup((_h, _o, cb) => cb(null, [{ address: "140.82.112.6", family: 4 }]), true);
    expect(await run(pub, false)).toEqual({ err: null, address: "140.82.112.6" });
  });

  it("passes ordinary answers through in the shape asked for", async () => {
    const addrs = [{ address: "203.0.113.7", family: 4 }];
    expect(await run(lookupWith(addrs), true)).toEqual({ err: null, address: addrs });
    expect(await run(lookupWith(addrs), false)).toEqual({ err: null, address: "203.0.113.7" });
  });
});

describe("safeFetch", () => {
  let server: Server;
  let base = "";
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? "");
      if (req.url === "/redirect") res.writeHead(302, { location: "http://169.254.169.254/" }).end();
      else if (req.url === "/hang") return;
      else res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("reaches loopback by address and by name", async () => {
    expect(await (await safeFetch(`${base}/x`)).json()).toEqual({ ok: true });
    const byName = base.replace("127.0.0.1", "localhost");
    expect((await safeFetch(`${byName}/x`)).status).toBe(200);
  });

  it("hands a redirect back instead of following it", async () => {
    hits.length = 0;
    const res = await safeFetch(`${base}/redirect`);
    expect(res.status).toBe(302);
    expect(hits).toEqual(["/redirect"]);
  });

  it("ends within its timeout", async () => {
    await expect(safeFetch(`${base}/hang`, { timeoutMs: 100 })).rejects.toThrow("no answer within 100ms");
  });

  it("refuses other schemes and metadata hosts without connecting", async () => {
    await expect(safeFetch("file:///etc/passwd")).rejects.toThrow("only http and https");
    await expect(safeFetch("http://169.254.169.254/latest/meta-data/")).rejects.toThrow(/link-local/);
    await expect(safeFetch("http://2852039166/")).rejects.toThrow(/169\.254\.169\.254 is a link-local/);
  });

  it("names a refused connection by its code only", async () => {
    await expect(safeFetch("http://127.0.0.1:1/", { timeoutMs: 1000 })).rejects.toThrow(
      "connection failed (ECONNREFUSED)",
    );
  });
});

describe("safeFetch connections", () => {
  let server: Server;
  let base = "";
  let connections = 0;
  /** Requests each connection has carried, by connection number. */
  const carried = new Map<number, number>();
  let resetSecond = false;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const n = (req.socket as { n?: number }).n!;
      carried.set(n, (carried.get(n) ?? 0) + 1);
      // A server that closed a kept-alive connection just as it was reused: no answer at all.
      if (resetSecond && carried.get(n)! > 1) return req.socket.destroy();
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    server.on("connection", (s) => Object.assign(s, { n: ++connections }));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("keeps the connection for the next call to the same origin (pending, then success: one handshake)", async () => {
    const before = connections;
    expect((await safeFetch(`${base}/statuses/a`, { method: "POST", body: "{}" })).status).toBe(200);
    expect((await safeFetch(`${base}/statuses/a`, { method: "POST", body: "{}" })).status).toBe(200);
    expect(connections - before).toBe(1);
  });

  it("sends again on a new connection when a kept one was closed under it", async () => {
    resetSecond = true;
    try {
      const before = connections;
      expect((await safeFetch(`${base}/one`)).status).toBe(200);
      expect((await safeFetch(`${base}/two`)).status).toBe(200);
      expect(connections - before).toBe(2);
    } finally {
      resetSecond = false;
    }
  });
});
