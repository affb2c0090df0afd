// TINYFORGE_TRACE: each call through a port is timed on one line, naming what it acted on but
// never showing a spec's env or a file's content.
import { describe, expect, it } from "vitest";
import { timedCall, traced } from "../../../src/adapters/trace.js";

describe("traced", () => {
  it("times each call that returns a promise, with the name it acted on and not the rest", async () => {
    const lines: string[] = [];
    const docker = traced(
      {
        create: async (_spec: { name: string; env: string[] }) => "c1",
        write: async (_path: string, _content: string) => undefined,
        driver: "caddy",
        url: (h: string) => `http://${h}`,
      },
      "docker",
      (l) => lines.push(l),
    );
    expect(await docker.create({ name: "web-green", env: ["DATABASE_URL=postgres://u:hunter2@db"] })).toBe(
      "c1",
    );
    await docker.write("/state/instances/web.production", '{"secret":"hunter2"}');
    expect(docker.url("a")).toBe("http://a");
    expect(docker.driver).toBe("caddy");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^trace @\d+ docker\.create\(web-green\) \d+\.\dms\n$/);
    expect(lines[1]).toMatch(/^trace @\d+ docker\.write\(\/state\/instances\/web\.production\) \d+\.\dms\n$/);
    expect(lines.join("")).not.toContain("hunter2");
  });

  it("says when a call failed, and passes the failure on", async () => {
    const lines: string[] = [];
    const proxy = traced({ upsert: async () => Promise.reject(new Error("refused")) }, "proxy", (l) =>
      lines.push(l),
    );
    await expect(proxy.upsert()).rejects.toThrow("refused");
    expect(lines[0]).toMatch(/^trace @\d+ proxy\.upsert\(\) failed after \d+\.\dms\n$/);
  });

  it("timedCall times the connect only when tracing", async () => {
    const lines: string[] = [];
    expect(
      await timedCall(
        "connect ssh://h",
        (l) => lines.push(l),
        async () => 1,
      ),
    ).toBe(1);
    expect(await timedCall("connect ssh://h", undefined, async () => 2)).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/^trace @\d+ connect ssh:\/\/h \d+\.\dms\n$/)]);
  });
});
