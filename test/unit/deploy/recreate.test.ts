import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  BASE,
  disposeAll,
  HOSTNAME,
  type HarnessOptions,
  harness,
  imageOf,
  V1,
  V2,
} from "../../fakes/engine.js";

afterEach(disposeAll);

const RECREATE: HarnessOptions = { workload: { deploy_strategy: "recreate" } };

async function v1ThenV2(o: HarnessOptions = RECREATE, v2: "healthy" | "unhealthy" | "crash" = "healthy") {
  const h = harness(o);
  h.docker.behaviour = (image) => (image === imageOf(V2) ? v2 : "healthy");
  const first = await h.deploy(V1);
  expect(first.outcome).toBe("success");
  const mark = h.docker.calls.length;
  const second = await h.deploy(V2);
  return { h, first, second, v2Calls: h.docker.calls.slice(mark) };
}

describe("recreate, first deploy (no old container)", () => {
  it("builds a dockerfile source from the config's directory and starts it on a free port", async () => {
    const h = harness({ workload: { source: "dockerfile", image: undefined } });
    writeFileSync(join(h.host.home, "Dockerfile"), "FROM busybox\n");
    mkdirSync(join(h.host.home, "src"));
    writeFileSync(join(h.host.home, "src", "app.js"), "console.log(1)\n");
    const r = await h.deploy(V1);

    expect(r).toMatchObject({
      outcome: "success",
      strategy: "recreate",
      previous: null,
      url: `http://${HOSTNAME}`,
    });
    expect(r.steps.map((s) => s.name)).toEqual([
      "lock",
      "build",
      "create",
      "start",
      "gate",
      "route",
      "persist",
    ]);
    const tag = `tinyforge/shop_web:${V1}`;
    expect(h.docker.calls).toEqual([`build ${tag}`, `create ${r.container}`, "start c1"]);
    expect(h.docker.builds[0]?.files).toEqual(expect.arrayContaining(["Dockerfile", "src/app.js"]));
    expect(h.docker.specOf(r.container!)).toMatchObject({ image: tag });
    expect(h.docker.specOf(r.container!)?.hostPort).toBeUndefined();
    expect((await h.state())?.active).toMatchObject({ sha: V1, hostPort: 40000, strategy: "recreate" });
  });

  it("reuses an image already built for the SHA instead of building again", async () => {
    const h = harness({ workload: { source: "dockerfile", image: undefined } });
    h.docker.images.add(`tinyforge/shop_web:${V1}`);
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("success");
    expect(h.docker.calls.some((c) => c.startsWith("build"))).toBe(false);
  });
});

describe("recreate, v1 → v2", () => {
  it("stops the old one and sets it aside, starts the new one on the same host port, removes the old one last", async () => {
    const { h, first, second, v2Calls } = await v1ThenV2();

    expect(v2Calls).toEqual([
      `pull ${imageOf(V2)}`,
      "stop c1",
      `rename c1 ${first.container}-old`,
      `create ${second.container}`,
      "start c2",
      "remove c1",
    ]);
    expect(h.docker.specOf(second.container!)?.hostPort).toBe(40000);
    expect(h.docker.byName(second.container!)?.boundPort).toBe(40000);
    expect(second).toMatchObject({ outcome: "success", previous: first.container, strategy: "recreate" });
    expect(second.container).toMatch(new RegExp(`^${BASE}-[a-z2-7]{8}$`));
    expect(second.steps.map((s) => s.name)).toEqual([
      "lock",
      "pull",
      "stop-old",
      "create",
      "start",
      "gate",
      "route",
      "persist",
      "reap",
    ]);
    expect([...h.docker.containers.keys()]).toEqual(["c2"]);
    expect(h.proxy.routes.get(HOSTNAME)?.upstream).toEqual({ host: "127.0.0.1", port: 40000 });
  });

  it("persists the new release (the old one first in previous) before removing the old container", async () => {
    const h = harness(RECREATE);
    await h.deploy(V1);
    let atRemove: string | undefined;
    h.docker.beforeCall = async (c) => {
      if (c === "remove c1") atRemove = (await h.state())?.active?.sha;
    };
    await h.deploy(V2);
    expect(atRemove).toBe(V2);
    expect((await h.state())?.previous.map((p) => p.sha)).toEqual([V1]);
  });

  it("is the default strategy for a dockerfile source", async () => {
    const h = harness({ workload: { source: "dockerfile", image: undefined } });
    h.docker.images.add(`tinyforge/shop_web:${V1}`);
    expect((await h.deploy(V1)).strategy).toBe("recreate");
  });

  it("an explicit --strategy recreate wins over the image source's blue-green default", async () => {
    const h = harness();
    await h.deploy(V1, { strategy: "recreate" });
    const r = await h.deploy(V2, { strategy: "recreate" });
    expect(r.strategy).toBe("recreate");
    expect(r.steps.map((s) => s.name)).toContain("stop-old");
  });
});

describe("recreate, a v2 that fails its gate", () => {
  it("removes the new one, renames the old one back and restarts it; state stays v1", async () => {
    const { h, first, second, v2Calls } = await v1ThenV2(RECREATE, "unhealthy");

    expect(second.outcome).toBe("failed");
    expect(second.error?.code).toBe("health_timeout");
    expect(v2Calls).toEqual([
      `pull ${imageOf(V2)}`,
      "stop c1",
      `rename c1 ${first.container}-old`,
      expect.stringMatching(/^create /),
      "start c2",
      "remove c2",
      `rename c1 ${first.container}`,
      "start c1",
    ]);
    expect([...h.docker.containers.values()].map((c) => [c.id, c.name, c.status, c.boundPort])).toEqual([
      ["c1", first.container, "running", 40000],
    ]);
    expect(second.steps.map((s) => [s.name, s.ok])).toContainEqual(["restore", true]);
    const state = await h.state();
    expect(state?.active).toMatchObject({ sha: V1, containerId: "c1", hostPort: 40000 });
    expect(state?.previous).toEqual([]);
    expect(h.proxy.calls).toEqual([`upsert ${HOSTNAME} -> 127.0.0.1:40000`]);
    expect(
      h.events.some((e) => e.level === "warn" && e.step === "restore" && e.msg.includes("serving again")),
    ).toBe(true);
  });

  it("when the old one comes back on a different port, the state and the route follow it", async () => {
    const h = harness(RECREATE);
    h.docker.newPortOnRestart = true;
    h.docker.behaviour = (image) => (image === imageOf(V2) ? "crash" : "healthy");
    await h.deploy(V1);
    const r = await h.deploy(V2);

    expect(r.error?.code).toBe("container_exited");
    expect([...h.docker.containers.keys()]).toEqual(["c1"]);
    expect(h.docker.containers.get("c1")).toMatchObject({ status: "running", boundPort: 40001 });
    expect((await h.state())?.active).toMatchObject({ sha: V1, containerId: "c1", hostPort: 40001 });
    expect(h.proxy.calls.at(-1)).toBe(`upsert ${HOSTNAME} -> 127.0.0.1:40001`);
    expect(h.proxy.routes.get(HOSTNAME)?.upstream.port).toBe(40001);
  });

  it("a failed start of the new container restores the old one too", async () => {
    const h = harness(RECREATE);
    await h.deploy(V1);
    h.docker.failOn.start = (name) => !name.endsWith("-old") && name !== h.docker.containers.get("c1")?.name;
    const r = await h.deploy(V2);
    expect(r.outcome).toBe("failed");
    expect(h.docker.containers.get("c1")).toMatchObject({ status: "running" });
    expect([...h.docker.containers.keys()]).toEqual(["c1"]);
  });
});
