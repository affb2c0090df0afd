import { afterEach, describe, expect, it } from "vitest";
import { NoProxy } from "../../../src/adapters/proxy/none.js";
import { Rendezvous } from "../../../src/deploy/rollout.js";
import { BASE, disposeAll, HOSTNAME, harness, imageOf, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

const GREEN = new RegExp(`^${BASE}-[a-z2-7]{8}$`);

async function v1ThenV2(workload = {}) {
  const h = harness({ workload });
  const first = await h.deploy(V1);
  expect(first.outcome).toBe("success");
  const mark = h.docker.calls.length;
  const markTimeline = h.timeline.length;
  const second = await h.deploy(V2);
  return {
    h,
    first,
    second,
    v2Calls: h.docker.calls.slice(mark),
    v2Timeline: h.timeline.slice(markTimeline),
  };
}

describe("blue-green, first deploy (no blue)", () => {
  it("pulls, starts a uniquely named container, routes to it and persists it, with nothing to reap", async () => {
    const h = harness();
    const r = await h.deploy(V1);

    expect(r).toMatchObject({
      outcome: "success",
      strategy: "blue-green",
      previous: null,
      error: null,
      tag: null,
      sha: V1,
    });
    expect(r.container).toMatch(GREEN);
    expect(r.url).toBe(`http://${HOSTNAME}`);
    expect(r.steps.map((s) => s.name)).toEqual([
      "lock",
      "pull",
      "create",
      "start",
      "gate",
      "route",
      "persist",
    ]);
    expect(h.docker.calls).toEqual([`pull ${imageOf(V1)}`, `create ${r.container}`, "start c1"]);
    expect(h.proxy.calls).toEqual([`upsert ${HOSTNAME} -> 127.0.0.1:40000`]);
    expect((await h.state())?.active).toMatchObject({
      sha: V1,
      container: r.container,
      containerId: "c1",
      hostPort: 40000,
    });
  });
});

describe("blue-green, v1 → v2", () => {
  it("what the proxy could not settle in the route step (nginx's old workers) is journaled there", async () => {
    const h = harness();
    await h.deploy(V1);
    h.proxy.note = {
      level: "warn",
      message: "nginx's workers from before the reload (PID 7) still run after 10000 ms",
    };
    expect((await h.deploy(V2)).outcome).toBe("success");
    expect(h.events).toContainEqual(
      expect.objectContaining({
        level: "warn",
        step: "route",
        msg: "nginx's workers from before the reload (PID 7) still run after 10000 ms",
      }),
    );
  });

  it("what the load balancer's route step could not settle is journaled on each host's deploy", async () => {
    const h = harness();
    await h.deploy(V1);
    const message = "nginx's workers from before the reload (PID 7) still run after 10000 ms";
    // One host behind a load balancer: its route is written at the swap's meeting point.
    h.ctx.rollout = new Rendezvous(["h1"], async () => ({ level: "warn", message })).peer("h1");
    expect((await h.deploy(V2)).outcome).toBe("success");
    expect(h.events).toContainEqual(
      expect.objectContaining({ level: "warn", step: "hosts-swapped", msg: `load balancer: ${message}` }),
    );
  });

  it("creates and starts green before blue is stopped, and removes blue last", async () => {
    const { first, second, v2Calls } = await v1ThenV2();
    expect(v2Calls).toEqual([
      `pull ${imageOf(V2)}`,
      `create ${second.container}`,
      "start c2",
      "stop c1",
      "remove c1",
    ]);
    expect(second.container).not.toBe(first.container);
  });

  it("repoints the route to green by upsert only, never removing it", async () => {
    const { h } = await v1ThenV2();
    expect(h.proxy.calls).toEqual([
      `upsert ${HOSTNAME} -> 127.0.0.1:40000`,
      `upsert ${HOSTNAME} -> 127.0.0.1:40001`,
    ]);
    expect(h.proxy.routes.get(HOSTNAME)?.upstream).toEqual({ host: "127.0.0.1", port: 40001 });
  });

  it("persists green as active before blue is stopped or removed", async () => {
    const h = harness();
    const first = await h.deploy(V1);
    const seen: string[] = [];
    h.docker.beforeCall = async (call) => {
      if (/^(stop|remove) /.test(call)) seen.push(`${call}: active=${(await h.state())?.active?.sha}`);
    };
    const second = await h.deploy(V2);

    expect(seen).toEqual([`stop c1: active=${V2}`, `remove c1: active=${V2}`]);
    expect(second.previous).toBe(first.container);
  });

  it("orders the swap: green up, gate, route, state write, drain, then blue goes", async () => {
    const { v2Timeline, second } = await v1ThenV2();
    const story = v2Timeline.filter(
      (l) => !l.includes("/deploys/") && !l.includes("/locks/") && !l.includes("/events/"),
    );
    expect(story).toEqual([
      `docker pull ${imageOf(V2)}`,
      `docker create ${second.container}`,
      "docker start c2",
      `proxy upsert ${HOSTNAME} -> 127.0.0.1:40001`,
      "files write .tinyforge/shop/instances/web.production.json",
      "docker stop c1",
      "docker remove c1",
    ]);
  });

  it("gives blue its drain time after the route moved and before it is stopped", async () => {
    const h = harness({ workload: { drain: "3s" } });
    await h.deploy(V1);
    const at: Record<string, number> = {};
    h.proxy.beforeCall = () => {
      at.route = h.clock.now();
    };
    h.docker.beforeCall = (c) => {
      if (c.startsWith("stop")) at.stop = h.clock.now();
    };
    await h.deploy(V2);
    expect(at.stop! - at.route!).toBeGreaterThanOrEqual(3000);
  });

  it("leaves exactly one container, green, running; the result and state name both releases", async () => {
    const { h, first, second } = await v1ThenV2();

    expect([...h.docker.containers.values()].map((c) => [c.name, c.status])).toEqual([
      [second.container, "running"],
    ]);
    expect(second).toMatchObject({
      outcome: "success",
      strategy: "blue-green",
      sha: V2,
      previous: first.container,
      url: `http://${HOSTNAME}`,
      error: null,
      host: "fake",
    });
    expect(second.steps.map((s) => s.name)).toEqual([
      "lock",
      "pull",
      "create",
      "start",
      "gate",
      "route",
      "persist",
      "reap",
    ]);
    expect(second.steps.every((s) => s.ok)).toBe(true);
    const state = await h.state();
    expect(state?.active).toMatchObject({
      sha: V2,
      container: second.container,
      containerId: "c2",
      hostPort: 40001,
    });
    expect(state?.previous.map((p) => p.sha)).toEqual([V1]);
  });

  it("on a shared network routes to green by its unique container name and app port", async () => {
    const { h, second } = await v1ThenV2({ network: "shopnet" });
    expect(h.proxy.routes.get(HOSTNAME)?.upstream).toEqual({ host: second.container, port: 8080 });
    expect(h.docker.specOf(second.container!)?.network).toBe("shopnet");
  });

  it("keeps at most keep_releases earlier releases for rollback, newest first", async () => {
    const h = harness({ workload: { keep_releases: 1 } });
    await h.deploy(V1);
    await h.deploy(V2);
    await h.deploy("3333333333333333333333333333333333333333");
    expect((await h.state())?.previous.map((p) => p.sha)).toEqual([V2]);
  });
});

describe("blue-green without a proxy", () => {
  it("answers the published address, which moves with each swap", async () => {
    const h = harness({ config: { publish_ip: "0.0.0.0" } });
    h.ctx.proxy = new NoProxy();
    const first = await h.deploy(V1);
    const second = await h.deploy(V2);
    expect(first.url).toBe("http://127.0.0.1:40000");
    expect(second.url).toBe("http://127.0.0.1:40001");
    expect(h.docker.specOf(second.container!)?.publishIp).toBe("0.0.0.0");
    expect(h.docker.specOf(second.container!)?.hostPort).toBeUndefined();
  });
});

describe("redeploying what already serves", () => {
  it("is unchanged: no pull, create, start or stop, and no route change", async () => {
    const h = harness();
    const first = await h.deploy(V1);
    const calls = h.docker.calls.length;
    const again = await h.deploy(V1);

    expect(again).toMatchObject({
      outcome: "unchanged",
      container: first.container,
      url: first.url,
      previous: null,
      error: null,
    });
    expect(again.steps.map((s) => s.name)).toEqual(["lock"]);
    expect(h.docker.calls.length).toBe(calls);
    expect(h.proxy.calls).toHaveLength(1);
  });

  it("reconcile brings a stopped active container back; then the same SHA is unchanged", async () => {
    const h = harness();
    await h.deploy(V1);
    await h.docker.stop("c1", 10);
    const again = await h.deploy(V1);
    expect(again.outcome).toBe("unchanged");
    expect(h.docker.calls.filter((c) => c.startsWith("create"))).toHaveLength(1);
    expect((await h.docker.inspect("c1"))?.running).toBe(true);
    expect(h.events.some((e) => e.step === "reconcile" && e.msg.includes("restarted"))).toBe(true);
  });

  it("deploys again when the recorded container is gone", async () => {
    const h = harness();
    await h.deploy(V1);
    await h.docker.remove("c1");
    const again = await h.deploy(V1);
    expect(again.outcome).toBe("success");
    expect(h.docker.calls.filter((c) => c.startsWith("create"))).toHaveLength(2);
  });
});
