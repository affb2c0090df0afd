// A deploy joins its stage's accessory network only when the network is the project's: one of that
// name made for another project (or by hand, in the bot) is refused before any container exists.
import { afterEach, describe, expect, it } from "vitest";
import { disposeAll, harness, V1 } from "../../fakes/engine.js";

afterEach(disposeAll);

const withDb = { accessories: { db: { image: "postgres:16" } } };

describe("deploy: accessory networks", () => {
  it("creates the stage's network with the project's labels and joins it", async () => {
    const h = harness({ config: withDb });
    expect((await h.deploy(V1)).outcome).toBe("success");
    expect(h.docker.networks.get("tf_shop_production")).toEqual({
      "dev.tinyforge.project": "shop",
      "dev.tinyforge.stage": "production",
    });
  });

  it("refuses a network of that name labelled for another project: no container is created", async () => {
    const h = harness({ config: withDb });
    h.docker.networks.set("tf_shop_production", {
      "dev.tinyforge.project": "shop-admin",
      "dev.tinyforge.stage": "production",
    });
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("failed");
    expect(r.error?.message).toMatch(
      /^network tf_shop_production belongs to shop-admin\/production, not shop\/production/,
    );
    expect(h.docker.calls.filter((c) => c.startsWith("create"))).toEqual([]);
  });

  it("an unlabelled one is joined by the operator's run, refused in the bot unless listed", async () => {
    const cli = harness({ config: withDb });
    cli.docker.networks.set("tf_shop_production", {});
    expect((await cli.deploy(V1)).outcome).toBe("success");

    const bot = harness({ config: withDb });
    bot.ctx.networks = { allowed: [], unlabelled: false };
    bot.docker.networks.set("tf_shop_production", {});
    const refused = await bot.deploy(V1);
    expect(refused.error?.message).toMatch(
      /^network tf_shop_production exists and was not made by tinyforge/,
    );

    const listed = harness({ config: withDb });
    listed.ctx.networks = { allowed: ["tf_shop_production"], unlabelled: false };
    listed.docker.networks.set("tf_shop_production", {});
    expect((await listed.deploy(V1)).outcome).toBe("success");
  });
});
