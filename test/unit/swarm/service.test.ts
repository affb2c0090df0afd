// A workload on a Swarm manager is a service named for its instance, unambiguously, and tinyforge
// updates or removes only a service whose labels say it is that instance's: one Swarm serves many
// projects.
import { afterEach, describe, expect, it } from "vitest";
import { teardownInstance } from "../../../src/deploy/teardown.js";
import { serviceName } from "../../../src/plan/names.js";
import { disposeAll, harness, V1, V2 } from "../../fakes/engine.js";
import { FakeSwarm } from "../../fakes/swarm.js";

afterEach(disposeAll);

function onSwarm() {
  const h = harness();
  const swarm = new FakeSwarm();
  Object.assign(h.host, { swarm });
  return { ...h, swarm };
}

describe("serviceName", () => {
  it("separates project, workload, stage and tag with a character none of them can hold", () => {
    expect(serviceName({ project: "shop", workload: "admin-web", stage: "production" })).toBe(
      "shop_admin-web_production",
    );
    expect(serviceName({ project: "shop-admin", workload: "web", stage: "production" })).toBe(
      "shop-admin_web_production",
    );
    expect(serviceName({ project: "shop", workload: "web", stage: "preview", tag: "pr-12" })).toBe(
      "shop_web_preview_pr-12",
    );
  });

  it("stays within Swarm's 63 characters, long names ending in a hash of the whole", () => {
    const long = { project: "p".repeat(40), workload: "w".repeat(30), stage: "production" };
    const a = serviceName(long);
    const b = serviceName({ ...long, stage: "productiom" });
    expect(a).toHaveLength(63);
    expect(a).toMatch(/^p{40}_w{9}-[0-9a-f]{12}$/);
    expect(b).not.toBe(a);
  });
});

describe("deploy to a Swarm manager", () => {
  it("creates the instance's service, then updates it", async () => {
    const h = onSwarm();
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("success");
    expect(r.container).toBe("shop_web_production");
    await h.deploy(V2);
    expect(h.swarm.calls).toEqual([
      "network tinyforge-shop",
      "create shop_web_production",
      "update shop_web_production",
    ]);
  });

  it("refuses to update a service of that name that belongs to another project, touching nothing", async () => {
    const h = onSwarm();
    h.swarm.put("shop_web_production", { "dev.tinyforge.project": "blog" });
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("failed");
    expect(r.error?.message).toBe(
      `Swarm service shop_web_production belongs to project "blog", not to shop's web.production: tinyforge leaves it alone`,
    );
    expect(h.swarm.calls).toEqual([]);
    expect(h.swarm.services.get("shop_web_production")?.image).toBe("other:1");
  });

  it("retires the service of the older name (project-workload-stage) once the new one serves", async () => {
    const h = onSwarm();
    await h.deploy(V1);
    // What a deploy before unambiguous names left: the same instance under the older name.
    const s = h.swarm.services.get("shop_web_production")!;
    h.swarm.services.delete(s.name);
    h.swarm.services.set("shop-web-production", { ...s, name: "shop-web-production" });
    const state = (await h.state())!;
    await h.store.writeInstance({ ...state, active: { ...state.active!, container: "shop-web-production" } });
    expect((await h.deploy(V2)).outcome).toBe("success");
    expect([...h.swarm.services.keys()]).toEqual(["shop_web_production"]);
  });
});

describe("teardown on a Swarm manager", () => {
  it("removes the instance's service, and refuses one that is another project's", async () => {
    const h = onSwarm();
    await h.deploy(V1);
    const who = { workload: "web", stage: "production", key: "web.production" };
    expect(await teardownInstance(h.ctx, h.store, who)).toContain("removed service shop_web_production");

    h.swarm.put("shop_web_production", { "dev.tinyforge.project": "blog" });
    await expect(teardownInstance(h.ctx, h.store, who)).rejects.toMatchObject({
      code: "deploy_failed",
      message: expect.stringContaining('belongs to project "blog"'),
    });
    expect(h.swarm.services.has("shop_web_production")).toBe(true);
  });
});
