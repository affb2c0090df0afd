// The bot's SSH pool against the real sshd: one connection per host reused across deploys, a
// dead one opened again, an idle one closed, another key never riding on this key's connection.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { openHost } from "../../src/adapters/open-host.js";
import { HostPool } from "../../src/adapters/ssh-pool.js";
import type { Host } from "../../src/ports/host.js";
import { sshHost, tb } from "./harness.js";

const secrets = {
  sshKey: readFileSync(tb.sshKeyFile, "utf8"),
  knownHosts: readFileSync(tb.knownHostsFile, "utf8"),
};
const pools: HostPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.closeAll();
});

/** A pool that counts the connections it opens and keeps them, to check or kill them. */
function pool(idleMs = 60_000) {
  const opened: Host[] = [];
  const p = new HostPool({
    idleMs,
    open: async (entry, s) => {
      const h = await openHost(entry, s);
      opened.push(h);
      return h;
    },
  });
  pools.push(p);
  return { p, opened };
}

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe("the SSH pool", { timeout: 60_000 }, () => {
  it("reuses one connection across deploys, and a lease's close does not close it", async () => {
    const { p, opened } = pool();
    const a = await p.acquire(sshHost, secrets);
    await a.docker.ping();
    await a.close();
    const b = await p.acquire(sshHost, secrets);
    await b.docker.ping();
    await b.close();
    expect(opened).toHaveLength(1);
    expect(p.size).toBe(1);
  });

  it("opens the connection again when it died", async () => {
    const { p, opened } = pool();
    await (await p.acquire(sshHost, secrets)).close();
    // The connection dies under the pool (sshd restarted, network gone): the next deploy gets a new one.
    await opened[0]!.close();
    const again = await p.acquire(sshHost, secrets);
    await again.docker.ping();
    await again.close();
    expect(opened).toHaveLength(2);
    await expect(opened[0]!.docker.ping()).rejects.toThrow();
  });

  it("closes a connection nobody used for idleMs", async () => {
    const { p, opened } = pool(200);
    const lease = await p.acquire(sshHost, secrets);
    await lease.close();
    await waitFor(() => p.size === 0);
    expect(p.size).toBe(0);
    await expect(opened[0]!.docker.ping()).rejects.toThrow();
  });

  it("keeps a connection in use open past idleMs", async () => {
    const { p } = pool(100);
    const lease = await p.acquire(sshHost, secrets);
    await new Promise((r) => setTimeout(r, 400));
    await lease.docker.ping();
    await lease.close();
  });

  it("gives other credentials a connection of their own", async () => {
    const { p, opened } = pool();
    await (await p.acquire(sshHost, secrets)).close();
    const other = { ...secrets, knownHosts: `${secrets.knownHosts}\n` };
    await (await p.acquire(sshHost, other)).close();
    expect(opened).toHaveLength(2);
  });
});
