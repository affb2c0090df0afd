// The release step's one-off container: labelled with its instance (and the release role), so a
// deploy cut off while it ran (a bot restart) leaves nothing that reconcile does not remove.
import { afterEach, describe, expect, it } from "vitest";
import { disposeAll, harness, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

describe("release step containers", () => {
  it("carry the instance and release role labels, never those of a container that serves", async () => {
    const h = harness({ workload: { release: { command: ["bin/migrate"], timeout: "1m" } } });
    await h.deploy(V1);
    const spec = h.docker.specs.find((s) => s.name.includes("-release-"));
    expect(spec?.labels).toMatchObject({
      "dev.tinyforge.project": "shop",
      "dev.tinyforge.instance": "web.production",
      "dev.tinyforge.role": "release",
    });
    expect(spec?.labels).not.toHaveProperty("dev.tinyforge.sha");
  });

  it("one left behind by a deploy that died is removed by the next deploy's reconcile; the active one serves on", async () => {
    const h = harness({ workload: { release: { command: ["bin/migrate"], timeout: "1m" } } });
    const first = await h.deploy(V1);
    const spec = h.docker.specs.find((s) => s.name.includes("-release-"))!;
    // What a bot killed mid-release leaves: the release container, still running.
    const orphan = await h.docker.create({ ...spec, name: "shop-web-production-release-orphan1" });
    await h.docker.start(orphan);
    const r = await h.deploy(V2);
    expect(r.outcome).toBe("success");
    expect(await h.docker.inspect(orphan)).toBeUndefined();
    expect(h.events).toContainEqual(
      expect.objectContaining({
        step: "reconcile",
        msg: "web.production: removed shop-web-production-release-orphan1 (a release step left behind)",
      }),
    );
    expect(r.previous).toBe(first.container);
  });
});
