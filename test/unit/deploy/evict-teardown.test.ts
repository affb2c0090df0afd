// max_instances and teardown remove an instance whole: its route, its containers and its state.
import { afterEach, describe, expect, it } from "vitest";
import { storeFor } from "../../../src/deploy/deploy.js";
import { teardownInstance } from "../../../src/deploy/teardown.js";
import { disposeAll, harness, V1, V2, V3 } from "../../fakes/engine.js";

afterEach(disposeAll);

const preview = { config: { stages: { preview: { pull_requests: true, max_instances: 2 } } } };

describe("max_instances", () => {
  it("evicts the oldest tag of the stage — route, container, state — never the one just deployed", async () => {
    const h = harness(preview);
    const tagged = (sha: string, tag: string) => h.deploy(sha, { stage: "preview", tag });
    const one = await tagged(V1, "pr-1");
    await tagged(V2, "pr-2");
    expect(h.proxy.routes.size).toBe(2);
    const three = await tagged(V3, "pr-3");
    expect(three.outcome).toBe("success");
    expect([...h.proxy.routes.keys()].sort()).toEqual(["stage-preview-shop-pr-2", "stage-preview-shop-pr-3"]);
    expect(h.proxy.calls).toContain("remove stage-preview-shop-pr-1");
    expect(h.docker.calls).toContain(`remove ${(await h.docker.inspect(one.container!))?.id ?? "c1"}`);
    expect((await h.store.listInstances()).map((s) => s.key).sort()).toEqual([
      "web.preview.pr-2",
      "web.preview.pr-3",
    ]);
    expect(
      h.events.some(
        (e) => e.step === "evict" && e.msg.startsWith("evicted web.preview.pr-1 (max_instances 2)"),
      ),
    ).toBe(true);
  });

  it("with a limit of 1 keeps only the deploy just made", async () => {
    const h = harness({ config: { stages: { preview: { max_instances: 1 } } } });
    await h.deploy(V1, { stage: "preview", tag: "a" });
    await h.deploy(V2, { stage: "preview", tag: "b" });
    expect((await h.store.listInstances()).map((s) => s.key)).toEqual(["web.preview.b"]);
    expect([...h.proxy.routes.keys()]).toEqual(["stage-preview-shop-b"]);
  });
});

describe("teardown", () => {
  it("removes the route before the container, then the state", async () => {
    const h = harness(preview);
    const r = await h.deploy(V1, { stage: "preview", tag: "pr-9" });
    h.timeline.length = 0;
    const done = await teardownInstance(h.ctx, storeFor(h.ctx), {
      workload: "web",
      stage: "preview",
      tag: "pr-9",
      key: "web.preview.pr-9",
    });
    expect(done).toEqual(["removed route stage-preview-shop-pr-9", `removed ${r.container}`]);
    const order = h.timeline.filter((l) => /proxy remove|docker stop|docker remove /.test(l));
    expect(order[0]).toMatch(/^proxy remove/);
    expect(h.proxy.routes.size).toBe(0);
    expect(await h.store.listInstances()).toEqual([]);
  });
});
