// A deploy joins its stage's accessory network only when the network is the project's: one of that
// name made for another project (or by hand, in the bot) is refused before any container exists.
// In the bot, a workload naming no network runs on that network too, never on Docker's default
// bridge, where every project's containers on the host reach each other by IP.
import { afterEach, describe, expect, it } from "vitest";
import { disposeAll, harness, V1, V2 } from "../../fakes/engine.js";

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

describe("deploy: the bot's own network per stage", () => {
  const bot = { allowed: [], unlabelled: false, isolate: true };
  const created = (h: ReturnType<typeof harness>) =>
    h.docker.specs.map((s) => ({ name: s.name, network: s.network, joined: s.networks?.map((n) => n.name) }));

  it("a workload naming no network is created on tf_P_S, made with the project's labels; blue and green share it", async () => {
    const h = harness();
    h.ctx.networks = bot;
    expect((await h.deploy(V1)).outcome).toBe("success");
    expect((await h.deploy(V2)).outcome).toBe("success");
    expect(h.docker.networks.get("tf_shop_production")).toEqual({
      "dev.tinyforge.project": "shop",
      "dev.tinyforge.stage": "production",
    });
    expect(created(h).map((c) => [c.network, c.joined])).toEqual([
      ["tf_shop_production", []],
      ["tf_shop_production", []],
    ]);
    // Still reached through the port it publishes on the host: the proxy is not on that network.
    const hostPort = (await h.state())?.active?.hostPort;
    expect(hostPort).toBeGreaterThan(0);
    expect(h.proxy.routes.get("stage-production-shop")?.upstream).toEqual({
      host: "127.0.0.1",
      port: hostPort,
    });
  });

  it("the CLI's run leaves it on Docker's default network, as before", async () => {
    const h = harness();
    expect((await h.deploy(V1)).outcome).toBe("success");
    expect(created(h)[0]!.network).toBeUndefined();
    expect(h.docker.networks.size).toBe(0);
  });

  it("a network the repo names is kept; the release step's container runs where the app does", async () => {
    const named = harness({ workload: { network: "shop_net" } });
    named.ctx.networks = bot;
    expect((await named.deploy(V1)).outcome).toBe("success");
    expect(created(named)[0]!.network).toBe("shop_net");
    expect(named.docker.networks.has("tf_shop_production")).toBe(false);

    const release = harness({ workload: { release: { command: ["bin/migrate"], timeout: "1m" } } });
    release.ctx.networks = bot;
    expect((await release.deploy(V1)).outcome).toBe("success");
    expect(created(release).map((c) => c.network)).toEqual(["tf_shop_production", "tf_shop_production"]);
  });

  it("a preview runs on its stage's network (not its tag's) and joins a per_tag accessory's besides", async () => {
    const h = harness({
      config: {
        stages: { preview: { pull_requests: true } },
        accessories: { db: { image: "postgres:16", per_tag: true }, cache: { image: "redis:7" } },
      },
    });
    h.ctx.networks = bot;
    expect((await h.deploy(V1, { stage: "preview", tag: "pr-12" })).outcome).toBe("success");
    expect(created(h).map((c) => [c.network, c.joined])).toEqual([
      ["tf_shop_preview", ["tf_shop_preview_pr-12"]],
    ]);
    expect([...h.docker.networks.keys()].sort()).toEqual(["tf_shop_preview", "tf_shop_preview_pr-12"]);
  });

  it("a host out of address pools fails the deploy saying how to give Docker more; nothing is created", async () => {
    const h = harness();
    h.ctx.networks = bot;
    h.docker.ensureNetwork = async () => {
      throw new Error(
        "(HTTP code 400) unexpected - could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network",
      );
    };
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("failed");
    expect(r.error?.message).toMatch(/^network tf_shop_production could not be made: /);
    expect(r.error?.hint).toMatch(/default-address-pools in \/etc\/docker\/daemon\.json/);
    expect(h.docker.calls.filter((c) => c.startsWith("create"))).toEqual([]);
  });

  it("a tf_P_S made for another project is refused before any container exists", async () => {
    const h = harness();
    h.ctx.networks = bot;
    h.docker.networks.set("tf_shop_production", { "dev.tinyforge.project": "shop-admin" });
    const r = await h.deploy(V1);
    expect(r.error?.message).toMatch(
      /^network tf_shop_production belongs to shop-admin, not shop\/production/,
    );
    expect(h.docker.calls.filter((c) => c.startsWith("create"))).toEqual([]);
  });
});
