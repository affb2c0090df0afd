// The images a deploy builds: whose they are across projects that share a host.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { disposeAll, type Harness, type HarnessOptions, harness, V1 } from "../../fakes/engine.js";

afterEach(disposeAll);

/** A dockerfile workload `workload` of `project`, on `o.host` when given. */
function app(project: string, workload: string, o: HarnessOptions = {}): Harness {
  const h = harness({
    ...o,
    config: { project, workloads: { [workload]: { source: "dockerfile", port: 8080 } } },
  });
  writeFileSync(join(h.host.home, "Dockerfile"), "FROM busybox\n");
  return h;
}

describe("built images of two projects whose names join alike (shop + admin-web, shop-admin + web)", () => {
  it("are tagged apart, so one never runs the image the other built from the same SHA", async () => {
    const shop = app("shop", "admin-web");
    const other = app("shop-admin", "web", { host: shop.host, clock: shop.clock });
    const a = await shop.deploy(V1, { workload: "admin-web" });
    const b = await other.deploy(V1, { workload: "web" });
    expect(shop.docker.specOf(a.container!)?.image).toBe(`tinyforge/shop_admin-web:${V1}`);
    expect(other.docker.specOf(b.container!)?.image).toBe(`tinyforge/shop-admin_web:${V1}`);
    expect(shop.docker.builds.map((x) => x.opts.tag)).toEqual([
      `tinyforge/shop_admin-web:${V1}`,
      `tinyforge/shop-admin_web:${V1}`,
    ]);
  });
});
