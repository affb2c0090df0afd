// A deno site's storage volume: whose it is across projects that share a host, and which volume a
// release of an instance that already serves mounts.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { rollback } from "../../../src/deploy/rollback.js";
import { disposeAll, type Harness, type HarnessOptions, harness, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

const SITE = {
  source: "static",
  mode: "deno",
  storage: true,
  context: "site",
  image: undefined,
  healthcheck: { path: "/", interval: "1s" },
} as const;

/** A deno site with storage as workload `workload` of `project`, on `o.host` when given. */
function site(project: string, workload: string, o: HarnessOptions = {}): Harness {
  const h = harness({ ...o, config: { project, workloads: { [workload]: SITE } } });
  mkdirSync(join(h.host.home, "site"), { recursive: true });
  writeFileSync(join(h.host.home, "site", "main.ts"), "Deno.serve(() => new Response('ok'));\n");
  return h;
}

const volumesOf = (h: Harness, container: string | null | undefined) => h.docker.specOf(container!)?.volumes;
const imageIn = (h: Harness, container: string | null | undefined) => h.docker.specOf(container!)?.image;

describe("two projects whose names join alike (shop + admin-web, shop-admin + web) on one host", () => {
  it("get storage volumes of their own", async () => {
    const shop = site("shop", "admin-web");
    const other = site("shop-admin", "web", { host: shop.host, clock: shop.clock });
    const a = await shop.deploy(V1, { workload: "admin-web" });
    const b = await other.deploy(V1, { workload: "web" });
    expect([a.outcome, b.outcome]).toEqual(["success", "success"]);
    expect(volumesOf(shop, a.container)).toEqual(["shop_admin-web-production-data:/app/data"]);
    expect(volumesOf(other, b.container)).toEqual(["shop-admin_web-production-data:/app/data"]);
  });

  it("a new instance never takes a volume whose name only looks like its own (another project's, of old)", async () => {
    const shop = site("shop", "admin-web");
    const a = await shop.deploy(V1, { workload: "admin-web" });
    // shop's site as a version before scoped names started it: its volume reads like shop-admin's.
    shop.docker.byName(a.container!)!.spec.volumes = ["shop-admin-web-production-data:/app/data"];
    const other = site("shop-admin", "web", { host: shop.host, clock: shop.clock });
    const b = await other.deploy(V1, { workload: "web" });
    expect(volumesOf(other, b.container)).toEqual(["shop-admin_web-production-data:/app/data"]);
  });
});

describe("an instance that serves from a volume named the old way (PROJECT-WORKLOAD-STAGE-data)", () => {
  const LEGACY_VOLUME = "shop-site-production-data:/app/data";
  const LEGACY_IMAGE = `tinyforge/shop-site:${V1}`;

  /** shop's site serving V1 as an older tinyforge left it: old volume name, old image tag. */
  async function servingTheOldWay(): Promise<Harness> {
    const h = site("shop", "site");
    const first = await h.deploy(V1, { workload: "site" });
    const c = h.docker.byName(first.container!)!;
    c.spec = { ...c.spec, volumes: [LEGACY_VOLUME], image: LEGACY_IMAGE };
    h.docker.images.add(LEGACY_IMAGE);
    const state = (await h.store.readInstance("site.production"))!;
    await h.store.writeInstance({ ...state, active: { ...state.active!, image: LEGACY_IMAGE } });
    return h;
  }

  it("keeps that exact volume on its next deploy and through a rollback to its release of old", async () => {
    const h = await servingTheOldWay();
    const r = await h.deploy(V2, { workload: "site" });
    expect(r.outcome).toBe("success");
    expect(volumesOf(h, r.container)).toEqual([LEGACY_VOLUME]);
    expect(h.events.map((e) => e.msg)).toContain(
      `keeps volume shop-site-production-data, the one ${r.previous} mounts`,
    );

    // A rollback is a release like any other: the same volume, and the image the state recorded.
    const back = await rollback(h.ctx, { workload: "site", stage: "production" });
    expect(back.outcome).toBe("success");
    expect(imageIn(h, back.container)).toBe(LEGACY_IMAGE);
    expect(volumesOf(h, back.container)).toEqual([LEGACY_VOLUME]);
  });
});
