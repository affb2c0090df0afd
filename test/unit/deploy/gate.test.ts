// The HTTP gate probes as soon as the container is started, then waits a twentieth of the
// container's age between probes (from 50 ms up to the healthcheck's interval), and gives up after
// retries × interval.
import { describe, expect, it } from "vitest";
import type { HealthcheckConfig } from "../../../src/config/schema.js";
import { httpGate, probeWait } from "../../../src/deploy/gate.js";
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

  it("probes every 50 ms while the container is young, so an app ready in 300 ms passes at 300 ms", async () => {
    const clock = new FakeClock();
    const { host, probes } = appReadyAfter(clock, 300);
    await httpGate(host, target, hc, clock, () => {});
    expect(clock.slept).toEqual([50, 50, 50, 50, 50, 50]);
    expect(probes).toEqual([0, 50, 100, 150, 200, 250, 300]);
  });

  for (const readyAt of [1000, 1550, 5000, 20_000, 60_000]) {
    it(`sees an app ready at ${readyAt} ms within max(50 ms, ${readyAt}/20) of its being ready`, async () => {
      const clock = new FakeClock();
      const { host, probes } = appReadyAfter(clock, readyAt);
      await httpGate(host, target, { ...hc, retries: 20, interval: 5000 }, clock, () => {});
      const seenAt = probes.at(-1)!;
      // 1 ms: probeWait rounds the age's twentieth to a whole millisecond.
      expect(seenAt - readyAt).toBeLessThanOrEqual(Math.max(50, readyAt / 20) + 1);
    });
  }

  it("probes an app that boots in 60 s about 100 times, not every 50 ms", async () => {
    const clock = new FakeClock();
    const { host, probes } = appReadyAfter(clock, 60_000);
    await httpGate(host, target, { ...hc, retries: 20, interval: 5000 }, clock, () => {});
    expect(probes.length).toBeGreaterThan(90);
    expect(probes.length).toBeLessThan(110);
  });

  it("paces by the container's age since it was started, not since the gate began", async () => {
    const clock = new FakeClock();
    const { host } = appReadyAfter(clock, Number.POSITIVE_INFINITY);
    const startedAt = clock.now() - 10_000;
    await expect(
      httpGate(host, { ...target, startedAt }, { ...hc, retries: 1, interval: 1000 }, clock, () => {}),
    ).rejects.toMatchObject({ code: "health_timeout" });
    // 10 s old: a 500 ms wait at once, and 1 s is still the whole window.
    expect(clock.slept[0]).toBe(500);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it("caps the wait at the interval and gives up after retries × interval", async () => {
    const clock = new FakeClock();
    const { host } = appReadyAfter(clock, Number.POSITIVE_INFINITY);
    const t0 = clock.now();
    await expect(
      httpGate(host, target, { ...hc, retries: 60, interval: 1000 }, clock, () => {}),
    ).rejects.toMatchObject({ code: "health_timeout", message: expect.stringMatching(/for 1m/) });
    expect(Math.max(...clock.slept)).toBe(1000);
    expect(clock.now() - t0).toBe(60_000);
  });

  it("gives up after exactly retries × interval even when that ends mid-wait", async () => {
    const clock = new FakeClock();
    const { host } = appReadyAfter(clock, Number.POSITIVE_INFINITY);
    const t0 = clock.now();
    await expect(
      httpGate(host, target, { ...hc, retries: 3, interval: 1000 }, clock, () => {}),
    ).rejects.toMatchObject({ code: "health_timeout", message: expect.stringMatching(/for 3\.0s/) });
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

describe("probeWait", () => {
  it("is a twentieth of the container's age", () => {
    expect(probeWait(2000, 5000)).toBe(100);
    expect(probeWait(10_000, 5000)).toBe(500);
    expect(probeWait(60_000, 5000)).toBe(3000);
  });

  it("is never under 50 ms, however young the container", () => {
    expect(probeWait(0, 5000)).toBe(50);
    expect(probeWait(999, 5000)).toBe(50);
  });

  it("is never over the healthcheck's interval, however old the container", () => {
    expect(probeWait(100_001, 5000)).toBe(5000);
    expect(probeWait(3_600_000, 2000)).toBe(2000);
  });
});
