// The HTTP gate probes as soon as the container is started, backs off from 50 ms up to the
// healthcheck's interval, and gives up after retries × interval.
import { describe, expect, it } from "vitest";
import type { HealthcheckConfig } from "../../../src/config/schema.js";
import { httpGate } from "../../../src/deploy/gate.js";
import type { ContainerInfo } from "../../../src/ports/docker.js";
import type { Host } from "../../../src/ports/host.js";
import { FakeClock } from "../../fakes/clock.js";

const hc: HealthcheckConfig = { path: "/healthz", retries: 3, interval: 5000, timeout: 10_000 };
const target = { id: "c1", name: "web-green", hostPort: 40000 };

/** A host whose app answers 200 once it has been up `readyAfterMs`, and refuses before. */
function appReadyAfter(clock: FakeClock, readyAfterMs: number, exited = false) {
  const t0 = clock.now();
  const probes: number[] = [];
  const host = {
    docker: {
      inspect: async (): Promise<Partial<ContainerInfo>> => ({
        running: !exited,
        restartCount: 0,
        exitCode: exited ? 1 : 0,
        hostPort: 40000,
      }),
    },
    httpGet: async () => {
      probes.push(clock.now() - t0);
      if (clock.now() - t0 >= readyAfterMs) return { status: 200, body: "ok" };
      throw new Error("connect ECONNREFUSED 127.0.0.1:40000");
    },
  } as unknown as Host;
  return { host, probes };
}

describe("the HTTP gate", () => {
  it("probes at once: an app that is already up passes without any wait", async () => {
    const clock = new FakeClock();
    const { host, probes } = appReadyAfter(clock, 0);
    await httpGate(host, target, hc, clock, () => {});
    expect(probes).toEqual([0]);
    expect(clock.slept).toEqual([]);
  });

  it("backs off from 50 ms, so an app ready in 300 ms passes at 350 ms, not after an interval", async () => {
    const clock = new FakeClock();
    const { host, probes } = appReadyAfter(clock, 300);
    await httpGate(host, target, hc, clock, () => {});
    expect(clock.slept).toEqual([50, 100, 200]);
    expect(probes).toEqual([0, 50, 150, 350]);
  });

  it("caps the wait at the interval and gives up after retries × interval", async () => {
    const clock = new FakeClock();
    const { host } = appReadyAfter(clock, Number.POSITIVE_INFINITY);
    const t0 = clock.now();
    await expect(
      httpGate(host, target, { ...hc, retries: 3, interval: 1000 }, clock, () => {}),
    ).rejects.toMatchObject({ code: "health_timeout", message: expect.stringMatching(/for 3\.0s/) });
    expect(Math.max(...clock.slept)).toBe(1000);
    expect(clock.now() - t0).toBe(3000);
  });

  it("fails as container_exited at the first refused probe of a container that exited", async () => {
    const clock = new FakeClock();
    const { host } = appReadyAfter(clock, Number.POSITIVE_INFINITY, true);
    await expect(httpGate(host, target, hc, clock, () => {})).rejects.toMatchObject({
      code: "container_exited",
    });
    expect(clock.slept).toEqual([]);
  });
});
