// A session opens each host once per use and always closes it; `connectEarly` starts the SSH
// handshake before the entry point needs the host, so the two overlap.
import { describe, expect, it } from "vitest";
import { noCredentials } from "../../../src/app/credentials.js";
import { environmentGrants } from "../../../src/app/grants.js";
import { connectEarly, type Session, withHost } from "../../../src/app/session.js";
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

describe("connectEarly", () => {
  it("opens each host before it is used, and the first use takes that connection", async () => {
    const { s, opened, closed } = session();
    const early = connectEarly(s, ["ssh://deploy@a", "ssh://deploy@b", "ssh://deploy@a"]);
    expect(opened).toEqual(["ssh://deploy@a", "ssh://deploy@b"]);
    const used = await withHost(s, "ssh://deploy@a", async (h) => h.name);
    expect(used).toBe("ssh://deploy@a");
    expect(opened).toHaveLength(2);
    // A second use of the same host opens its own connection, as without connectEarly.
    await withHost(s, "ssh://deploy@a", async () => undefined);
    expect(opened).toEqual(["ssh://deploy@a", "ssh://deploy@b", "ssh://deploy@a"]);
    await early.release();
    expect(closed.sort()).toEqual(["ssh://deploy@a", "ssh://deploy@a", "ssh://deploy@b"]);
  });

  it("closes the connections nobody used when released", async () => {
    const { s, closed } = session();
    const early = connectEarly(s, ["ssh://deploy@a", "ssh://deploy@b"]);
    await early.release();
    expect(closed.sort()).toEqual(["ssh://deploy@a", "ssh://deploy@b"]);
    expect(s.early).toBeUndefined();
  });

  it("reports a failed connect where the host is used, and only there", async () => {
    const { s } = session(new Set(["ssh://deploy@b"]));
    const early = connectEarly(s, ["ssh://deploy@a", "ssh://deploy@b"]);
    await expect(withHost(s, "ssh://deploy@b", async () => undefined)).rejects.toThrow(
      "ssh://deploy@b: connection refused",
    );
    await early.release();
  });
});
