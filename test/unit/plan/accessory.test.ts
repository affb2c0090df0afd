import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import {
  accessoryContainer,
  accessoryNetwork,
  accessorySpec,
  accessoryVolumes,
  instanceNetworks,
  ownedVolumes,
  workloadNetworks,
} from "../../../src/plan/accessory.js";

const config = (accessories: Record<string, unknown>) =>
  parseConfig(
    JSON.stringify({
      project: "shop",
      stages: { production: { branch: "main" }, preview: { pull_requests: true } },
      workloads: { web: { source: "image", image: "web:1", port: 8080 } },
      accessories,
    }),
  );

describe("accessory names", () => {
  it("one container, network and set of named volumes per stage; per tag only with per_tag", () => {
    const prod = { project: "shop", stage: "production" };
    const pr = { project: "shop", stage: "preview", tag: "PR_12" };
    expect(accessoryNetwork(prod)).toBe("tf_shop_production");
    expect(accessoryNetwork(pr)).toBe("tf_shop_preview_pr-12");
    // Project shop's stage admin-production is not project shop-admin's production.
    expect(accessoryNetwork({ project: "shop", stage: "admin-production" })).toBe("tf_shop_admin-production");
    expect(accessoryNetwork({ project: "shop-admin", stage: "production" })).toBe("tf_shop-admin_production");
    expect(accessoryContainer("db", prod)).toBe("shop-accessory-db-production");
    const a = { volumes: ["pgdata:/var/lib/postgresql/data", "/srv/x:/x:ro"] };
    expect(accessoryVolumes(a, prod)).toEqual([
      "shop-production-pgdata:/var/lib/postgresql/data",
      "/srv/x:/x:ro",
    ]);
    expect(ownedVolumes(a, pr)).toEqual(["shop-preview-pr-12-pgdata"]);
  });

  it("a workload joins its stage's network, and its tag's own when an accessory is per_tag", () => {
    const shared = config({ db: { image: "pg" } });
    expect(workloadNetworks(shared, { project: "shop", stage: "preview", tag: "pr-1" })).toEqual([
      "tf_shop_preview",
    ]);
    const own = config({ db: { image: "pg", per_tag: true }, cache: { image: "redis" } });
    expect(workloadNetworks(own, { project: "shop", stage: "preview", tag: "pr-1" })).toEqual([
      "tf_shop_preview",
      "tf_shop_preview_pr-1",
    ]);
    expect(workloadNetworks(config({}), { project: "shop", stage: "production" })).toEqual([]);
  });

  it("isolated (the bot), a workload naming no network is created on its stage's; else where Docker puts it", () => {
    const own = config({ db: { image: "pg", per_tag: true }, cache: { image: "redis" } });
    const pr = { project: "shop", stage: "preview", tag: "pr-1" };
    expect(instanceNetworks(own, {}, pr, true)).toEqual({
      network: "tf_shop_preview",
      joined: ["tf_shop_preview_pr-1"],
      made: ["tf_shop_preview", "tf_shop_preview_pr-1"],
    });
    expect(instanceNetworks(own, {}, pr, false)).toEqual({
      joined: ["tf_shop_preview", "tf_shop_preview_pr-1"],
      made: ["tf_shop_preview", "tf_shop_preview_pr-1"],
    });
    expect(instanceNetworks(config({}), { network: "shop_net" }, pr, true)).toEqual({
      network: "shop_net",
      joined: [],
      made: [],
    });
  });

  it("the spec carries secrets in env, answers to its name, publishes nothing", () => {
    const c = config({
      db: { image: "pg:15", port: 5432, env: { A: "1" }, secrets: ["PW"], volumes: ["d:/d"], command: ["x"] },
    });
    expect(
      accessorySpec(
        "db",
        c.accessories.db!,
        { project: "shop", stage: "production" },
        { PW: "pw-value-123" },
        "h",
      ),
    ).toEqual({
      name: "shop-accessory-db-production",
      image: "pg:15",
      labels: {
        "dev.tinyforge.project": "shop",
        "dev.tinyforge.stage": "production",
        "dev.tinyforge.accessory": "db",
        "dev.tinyforge.accessory.config": "h",
      },
      env: ["A=1", "PW=pw-value-123"],
      publishIp: "",
      network: "tf_shop_production",
      aliases: ["db"],
      volumes: ["shop-production-d:/d"],
      command: ["x"],
      stopTimeoutSec: 30,
    });
  });
});
