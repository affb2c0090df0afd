// A proxy whose reloads (every swap is one) reset new connections — a Caddy on a host without
// net.ipv4.tcp_migrate_req — is said in a deploy's events once per project, with the fix; again
// only when the reason changes, and forgotten once it is fixed.
import { afterEach, describe, expect, it } from "vitest";
import { disposeAll, harness, V1, V2 } from "../../fakes/engine.js";
import { FakeProxy } from "../../fakes/proxy.js";

afterEach(disposeAll);

class ResettingProxy extends FakeProxy {
  reason: string | undefined = "net.ipv4.tcp_migrate_req = 0: each swap resets connections; fix: sysctl";
  async reloadsReset(): Promise<string | undefined> {
    return this.reason;
  }
}

function proxyWarnings(h: ReturnType<typeof harness>, deployId: string): string[] {
  return h.events
    .filter((e) => e.deployId === deployId && e.step === "proxy" && e.level === "warn")
    .map((e) => e.msg);
}

describe("deploy: a proxy whose reloads reset connections", () => {
  it("is said once, with the reason and its fix, and not again while it stays the same", async () => {
    const proxy = new ResettingProxy();
    const h = harness({ proxy });
    const first = await h.deploy(V1);
    const second = await h.deploy(V2);
    expect(first.outcome).toBe("success");
    expect(proxyWarnings(h, first.deployId)).toEqual([proxy.reason]);
    expect(proxyWarnings(h, second.deployId)).toEqual([]);
  });

  it("is said again when the reason changes, and after it was fixed and came back", async () => {
    const proxy = new ResettingProxy();
    const h = harness({ proxy });
    await h.deploy(V1);
    proxy.reason = "this kernel has no net.ipv4.tcp_migrate_req (Linux 5.14+)";
    const changed = await h.deploy(V2);
    expect(proxyWarnings(h, changed.deployId)).toEqual([proxy.reason]);
    proxy.reason = undefined;
    const fixed = await h.deploy(V1);
    expect(proxyWarnings(h, fixed.deployId)).toEqual([]);
    proxy.reason = "net.ipv4.tcp_migrate_req = 0: again";
    const back = await h.deploy(V2);
    expect(proxyWarnings(h, back.deployId)).toEqual([proxy.reason]);
  });

  it("does not fail the deploy when the check itself fails", async () => {
    const proxy = new ResettingProxy();
    proxy.reloadsReset = async () => {
      throw new Error("permission denied");
    };
    const h = harness({ proxy });
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("success");
    expect(proxyWarnings(h, r.deployId)).toEqual([
      "could not check how the proxy reloads: permission denied",
    ]);
  });
});
