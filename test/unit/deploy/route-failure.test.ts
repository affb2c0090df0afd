// A route step that fails after the proxy applied the change (a timeout on the way back) must not
// leave the route naming the green it then removes.
import { afterEach, describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/schema.js";
import { disposeAll, HOSTNAME, harness, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

describe("a route step that fails after the proxy applied it", () => {
  it("puts the route back on blue before green goes", async () => {
    const h = harness();
    const blue = await h.deploy(V1);
    const blueUpstream = h.proxy.routes.get(HOSTNAME)?.upstream;
    const upsert = h.proxy.upsert.bind(h.proxy);
    let first = true;
    h.proxy.upsert = async (route) => {
      await upsert(route);
      if (first) {
        first = false;
        throw new Error("no answer within 10000ms");
      }
    };
    const r = await h.deploy(V2);
    expect(r.outcome).toBe("failed");
    expect(r.previous).toBe(blue.container);
    expect(h.proxy.routes.get(HOSTNAME)?.upstream).toEqual(blueUpstream);
    expect((await h.state())?.active?.sha).toBe(V1);
  });

  it("on a first deploy, removes the route it may have made", async () => {
    const h = harness();
    h.proxy.upsert = async (route) => {
      h.proxy.routes.set(route.hostname, route);
      throw new Error("connection reset");
    };
    expect((await h.deploy(V1)).outcome).toBe("failed");
    expect(h.proxy.routes.has(HOSTNAME)).toBe(false);
  });
});

describe("domain", () => {
  it("must be a DNS name: refused at validation, before anything starts", () => {
    const r = configSchema.safeParse({
      project: "shop",
      domain: "Example.COM/x",
      stages: { production: {} },
      workloads: { web: { source: "image", image: "r/w:{sha}", port: 80 } },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(
      'must be a lowercase DNS name like "example.com" (got "Example.COM/x")',
    );
  });
});
