// doctor's "caddy reloads" check: Caddy swaps sockets on every config change, so whether a swap
// under load loses requests is the host's net.ipv4.tcp_migrate_req, read on the host itself.
import { describe, expect, it } from "vitest";
import { caddyReloadsKeepConnections } from "../../../src/app/doctor/host.js";

/** A host whose files hold `value` at the sysctl's path (undefined: no such file); records reads. */
function hostAnswering(value: string | undefined) {
  const asked: string[] = [];
  return {
    asked,
    files: {
      read: async (path: string) => {
        asked.push(path);
        return path === "/proc/sys/net/ipv4/tcp_migrate_req" ? value : "unexpected";
      },
    },
  };
}

describe("doctor: caddy reloads", () => {
  it("is ok when the host hands queued connections to the new socket", async () => {
    const host = hostAnswering("1\n");
    const out = await caddyReloadsKeepConnections(host);
    expect(out.verdict).toBe("ok");
    expect(host.asked).toEqual(["/proc/sys/net/ipv4/tcp_migrate_req"]);
  });

  it("is a problem when the setting is off, with the line that turns it on for good", async () => {
    const out = await caddyReloadsKeepConnections(hostAnswering("0\n"));
    expect(out.verdict).toBe("problem");
    expect(out.detail).toMatch(/^net\.ipv4\.tcp_migrate_req = 0: each route change .* resets /);
    expect(out.hint).toContain("net.ipv4.tcp_migrate_req = 1' > /etc/sysctl.d/");
    expect(out.hint).toContain("--sysctl net.ipv4.tcp_migrate_req=1");
  });

  it("is a problem on a kernel without the setting, naming the version that has it", async () => {
    const out = await caddyReloadsKeepConnections(hostAnswering(undefined));
    expect(out.verdict).toBe("problem");
    expect(out.detail).toContain("Linux 5.14+");
    expect(out.hint).toContain("proxy.driver: nginx");
  });
});
