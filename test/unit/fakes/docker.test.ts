// The engine tests lean on the fake behaving like dockerd where it matters; pin those behaviours.
import { describe, expect, it } from "vitest";
import type { ContainerSpec } from "../../../src/ports/docker.js";
import { FakeClock } from "../../fakes/clock.js";
import { FakeDocker } from "../../fakes/docker.js";
import { FakeHost } from "../../fakes/host.js";

const spec = (name: string, over: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name,
  image: "app:1",
  labels: { "dev.tinyforge.project": "shop", role: name },
  env: [],
  port: 8080,
  publishIp: "127.0.0.1",
  volumes: [],
  stopTimeoutSec: 10,
  ...over,
});

function engine() {
  const clock = new FakeClock();
  const docker = new FakeDocker(clock);
  docker.images.add("app:1");
  return { clock, docker };
}

describe("FakeDocker", () => {
  it("hands out ephemeral ports from 40000 and refuses a fixed port a running container holds", async () => {
    const { docker } = engine();
    const a = await docker.create(spec("a"));
    await docker.start(a);
    const b = await docker.create(spec("b", { hostPort: 40000 }));
    await expect(docker.start(b)).rejects.toThrow(
      /Bind for 127.0.0.1:40000 failed: port is already allocated/,
    );
    await docker.stop(a, 10);
    expect((await docker.inspect(a))?.hostPort).toBeUndefined();
    await docker.start(b);
    expect((await docker.inspect(b))?.hostPort).toBe(40000);
  });

  it("restarts an ephemeral binding on its old port, or a new one with newPortOnRestart", async () => {
    const { docker } = engine();
    const a = await docker.create(spec("a"));
    await docker.start(a);
    await docker.stop(a, 10);
    await docker.start(a);
    expect((await docker.inspect(a))?.hostPort).toBe(40000);
    docker.newPortOnRestart = true;
    await docker.stop(a, 10);
    await docker.start(a);
    expect((await docker.inspect(a))?.hostPort).toBe(40001);
  });

  it("refuses a duplicate name, a missing image, and renaming onto a taken name", async () => {
    const { docker } = engine();
    const a = await docker.create(spec("a"));
    await docker.create(spec("b"));
    await expect(docker.create(spec("a"))).rejects.toMatchObject({ statusCode: 409 });
    await expect(docker.create(spec("c", { image: "nope:1" }))).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.rename(a, "b")).rejects.toMatchObject({ statusCode: 409 });
    await docker.rename(a, "a-old");
    expect((await docker.inspect("a-old"))?.id).toBe(a);
  });

  it("a crash exits after crashAfterMs of clock time and frees its port; a crash loop counts restarts", async () => {
    const { clock, docker } = engine();
    docker.crashAfterMs = 1000;
    docker.behaviour = (image) => (image === "loop:1" ? "restarting" : "crash");
    docker.images.add("loop:1");
    const a = await docker.create(spec("a"));
    const b = await docker.create(spec("b", { image: "loop:1" }));
    await docker.start(a);
    await docker.start(b);
    expect(await docker.inspect(a)).toMatchObject({ running: true, hostPort: 40000 });
    clock.advance(2500);
    expect(await docker.inspect(a)).toMatchObject({ running: false, status: "exited", exitCode: 1 });
    expect((await docker.inspect(a))?.hostPort).toBeUndefined();
    expect(await docker.inspect(b)).toMatchObject({ running: true, restartCount: 2 });
  });

  it("records mutating calls in order, lists by label, and injects failures by name prefix", async () => {
    const { docker } = engine();
    docker.failOn.start = "bad";
    const a = await docker.create(spec("good"));
    const b = await docker.create(spec("bad-1"));
    await docker.start(a);
    await expect(docker.start(b)).rejects.toThrow(/injected failure/);
    await docker.remove(b);
    expect(docker.calls).toEqual(["create good", "create bad-1", `start ${a}`, `start ${b}`, `remove ${b}`]);
    expect((await docker.list(["dev.tinyforge.project=shop", "role=good"])).map((c) => c.name)).toEqual([
      "good",
    ]);
  });
});

describe("FakeHost.httpGet", () => {
  it("answers 200 healthy, 500 unhealthy, and refuses a port nothing listens on", async () => {
    const host = new FakeHost();
    try {
      host.docker.images.add("app:1").add("sick:1");
      host.docker.behaviour = (image) => (image === "sick:1" ? "unhealthy" : "healthy");
      await host.docker.start(await host.docker.create(spec("a")));
      await host.docker.start(await host.docker.create(spec("b", { image: "sick:1" })));
      expect((await host.httpGet(40000, "/healthz", 1000)).status).toBe(200);
      expect((await host.httpGet(40001, "/healthz", 1000)).status).toBe(500);
      await expect(host.httpGet(40002, "/healthz", 1000)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      host.dispose();
    }
  });
});
