// doctor's "caddy reloads" check: Caddy swaps sockets on every config change, so whether a swap
// under load loses requests is the host's net.ipv4.tcp_migrate_req, read on the host itself.
import { describe, expect, it } from "vitest";
import { caddyReloadsKeepConnections } from "../../../src/app/doctor/host.js";
import type { ExecResult } from "../../../src/ports/host.js";

/** A host whose `cat` of the sysctl answers `result`; records what it was asked to run. */
function hostAnswering(result: ExecResult) {
  const asked: string[][] = [];
  return {
    asked,
    exec: async (argv: string[]) => {
      asked.push(argv);
      return result;
    },
  };
}

describe("doctor: caddy reloads", () => {
  it("is ok when the host hands queued connections to the new socket", async () => {
    const host = hostAnswering({ code: 0, stdout: "1\n", stderr: "" });
    const out = await caddyReloadsKeepConnections(host);
    expect(out.verdict).toBe("ok");
    expect(host.asked).toEqual([["cat", "/proc/sys/net/ipv4/tcp_migrate_req"]]);
  });

  it("is a problem when the setting is off, with the line that turns it on for good", async () => {
    const out = await caddyReloadsKeepConnections(hostAnswering({ code: 0, stdout: "0\n", stderr: "" }));
    expect(out.verdict).toBe("problem");
    expect(out.detail).toMatch(/^net\.ipv4\.tcp_migrate_req = 0: each route change .* resets /);
    expect(out.hint).toContain("net.ipv4.tcp_migrate_req = 1' > /etc/sysctl.d/");
    expect(out.hint).toContain("--sysctl net.ipv4.tcp_migrate_req=1");
  });

  it("is a problem on a kernel without the setting, naming the version that has it", async () => {
    const out = await caddyReloadsKeepConnections(
      hostAnswering({ code: 1, stdout: "", stderr: "cat: /proc/sys/net/ipv4/tcp_migrate_req: No such file" }),
    );
    expect(out.verdict).toBe("problem");
    expect(out.detail).toContain("Linux 5.14+");
    expect(out.hint).toContain("proxy.driver: nginx");
  });
});
