// A command holds its hosts' connections (`holdConnections`): the SSH handshake starts before the
// entry point needs a host, so the two overlap, and each later use of the host takes the same
// connection (one login per host per command). Without it, each use opens and closes its own.
import { describe, expect, it } from "vitest";
import { noCredentials } from "../../../src/app/credentials.js";
import { environmentGrants } from "../../../src/app/grants.js";
import { holdConnections, type Session, withHost } from "../../../src/app/session.js";
import { configSchema } from "../../../src/config/schema.js";
import type { Host } from "../../../src/ports/host.js";

function session(fail = new Set<string>()) {
  const opened: string[] = [];
  const closed: string[] = [];
  const s: Session = {
    config: configSchema.parse({
      project: "shop",
      hosts: ["ssh://deploy@a", "ssh://deploy@b"],
      proxy: { driver: "none" },
      stages: { production: { branch: "main" } },
      workloads: { web: { source: "image", image: "shop/web:{sha}", port: 8080 } },
    }),
    dir: "/nonexistent",
    file: "tinyforge.yml",
    credentials: noCredentials,
    grants: environmentGrants({}),
    lockTtlMs: 30_000,
    openHost: async (entry) => {
      opened.push(entry);
      if (fail.has(entry)) throw new Error(`${entry}: connection refused`);
      return { name: entry, close: async () => void closed.push(entry) } as unknown as Host;
    },
  };
  return { s, opened, closed };
}

describe("holdConnections", () => {
  it("opens each host before it is used, and every use takes that one connection", async () => {
    const { s, opened, closed } = session();
    const held = holdConnections(s, ["ssh://deploy@a", "ssh://deploy@b", "ssh://deploy@a"]);
    expect(opened).toEqual(["ssh://deploy@a", "ssh://deploy@b"]);
    expect(await withHost(s, "ssh://deploy@a", async (h) => h.name)).toBe("ssh://deploy@a");
    await withHost(s, "ssh://deploy@a", async () => undefined);
    expect(opened).toEqual(["ssh://deploy@a", "ssh://deploy@b"]);
    expect(closed).toEqual([]);
    await held.release();
    expect(closed.sort()).toEqual(["ssh://deploy@a", "ssh://deploy@b"]);
    expect(s.held).toBeUndefined();
  });

  it("closes a connection whose use failed, and the next use opens a new one", async () => {
    const { s, opened, closed } = session();
    const held = holdConnections(s, ["ssh://deploy@a"]);
    await expect(
      withHost(s, "ssh://deploy@a", async () => {
        throw new Error("connection lost");
      }),
    ).rejects.toThrow("connection lost");
    expect(closed).toEqual(["ssh://deploy@a"]);
    await withHost(s, "ssh://deploy@a", async () => undefined);
    expect(opened).toEqual(["ssh://deploy@a", "ssh://deploy@a"]);
    await held.release();
    expect(closed).toEqual(["ssh://deploy@a", "ssh://deploy@a"]);
  });

  it("two uses of one host at once: the second opens its own, and one is kept", async () => {
    const { s, opened, closed } = session();
    const held = holdConnections(s, ["ssh://deploy@a"]);
    await Promise.all([
      withHost(s, "ssh://deploy@a", async () => undefined),
      withHost(s, "ssh://deploy@a", async () => undefined),
    ]);
    expect(opened).toHaveLength(2);
    expect(closed).toHaveLength(1);
    await held.release();
    expect(closed).toHaveLength(2);
  });

  it("reports a failed connect where the host is used, and only there", async () => {
    const { s } = session(new Set(["ssh://deploy@b"]));
    const held = holdConnections(s, ["ssh://deploy@a", "ssh://deploy@b"]);
    await expect(withHost(s, "ssh://deploy@b", async () => undefined)).rejects.toThrow(
      "ssh://deploy@b: connection refused",
    );
    await held.release();
  });

  it("without it, each use opens and closes its own connection", async () => {
    const { s, opened, closed } = session();
    await withHost(s, "ssh://deploy@a", async () => undefined);
    await withHost(s, "ssh://deploy@a", async () => undefined);
    expect(opened).toEqual(["ssh://deploy@a", "ssh://deploy@a"]);
    expect(closed).toEqual(["ssh://deploy@a", "ssh://deploy@a"]);
  });
});
