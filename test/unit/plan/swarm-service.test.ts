import { describe, expect, it } from "vitest";
import { engineServiceSpec } from "../../../src/adapters/swarm-engine.js";
import { serviceRoute, serviceSpec, swarmNetwork } from "../../../src/plan/swarm-service.js";

const input = {
  name: "shop-web-production",
  image: "registry.example.com/shop/web:1111111",
  labels: { "dev.tinyforge.project": "shop" },
  workload: {
    port: 8080,
    env: { MODE: "production" },
    secrets: ["API_TOKEN"],
    volumes: [],
    command: ["node", "server.js"],
    stop_timeout: 12_500,
    replicas: 3,
    healthcheck: { path: "/healthz", retries: 4, interval: 2000, timeout: 1000 },
  },
  secretValues: { API_TOKEN: "tok-123456" },
  meta: { sha: "1111111", stage: "production", deployId: "01DEPLOY" },
  config: { project: "shop", swarm: { endpoint_mode: "dnsrr" as const, monitor: 5000 } },
};

describe("serviceSpec", () => {
  it("is the workload as a service: its replicas, the container's env, the gate as Swarm's health check", () => {
    expect(serviceSpec(input)).toEqual({
      name: "shop-web-production",
      image: "registry.example.com/shop/web:1111111",
      labels: { "dev.tinyforge.project": "shop" },
      env: [
        "MODE=production",
        "API_TOKEN=tok-123456",
        "TINYFORGE_SHA=1111111",
        "TINYFORGE_STAGE=production",
        "TINYFORGE_DEPLOY_ID=01DEPLOY",
      ],
      command: ["node", "server.js"],
      replicas: 3,
      network: "tinyforge-shop",
      endpointMode: "dnsrr",
      health: {
        test: [
          "CMD-SHELL",
          "wget -q -O /dev/null 'http://127.0.0.1:8080/healthz' || curl -fsS -o /dev/null 'http://127.0.0.1:8080/healthz'",
        ],
        intervalMs: 2000,
        timeoutMs: 1000,
        retries: 4,
        startPeriodMs: 0,
      },
      stopGraceMs: 12_500,
      monitorMs: 5000,
    });
  });

  it("one replica and no health check when the workload sets neither", () => {
    const { replicas: _r, healthcheck: _h, ...w } = input.workload;
    const spec = serviceSpec({ ...input, workload: w });
    expect(spec.replicas).toBe(1);
    expect(spec).not.toHaveProperty("health");
  });

  it("joins the configured overlay network, else tinyforge-PROJECT", () => {
    expect(swarmNetwork({ project: "shop", swarm: { endpoint_mode: "dnsrr", monitor: 5000 } })).toBe(
      "tinyforge-shop",
    );
    expect(
      swarmNetwork({ project: "shop", swarm: { network: "edge", endpoint_mode: "vip", monitor: 5000 } }),
    ).toBe("edge");
  });
});

describe("serviceRoute", () => {
  const v = {
    hostname: "stage-production-shop.example.com",
    service: "shop-web-production",
    port: 8080,
    tls: false,
  };
  it("dnsrr dials every task by tasks.SERVICE; vip dials the service's virtual IP", () => {
    expect(serviceRoute(v, "dnsrr")).toEqual({
      hostname: v.hostname,
      upstream: { host: "tasks.shop-web-production", port: 8080 },
      tls: false,
      spread: true,
    });
    expect(serviceRoute(v, "vip").upstream).toEqual({ host: "shop-web-production", port: 8080 });
  });
});

describe("engineServiceSpec", () => {
  it("updates and rolls back start-first; a failed update is rolled back by Swarm after the monitor window", () => {
    const body = engineServiceSpec(serviceSpec(input)) as Record<string, Record<string, unknown>>;
    expect(body.UpdateConfig).toEqual({
      Order: "start-first",
      Parallelism: 1,
      Delay: 0,
      Monitor: 5_000_000_000,
      FailureAction: "rollback",
      MaxFailureRatio: 0,
    });
    expect(body.RollbackConfig).toMatchObject({ Order: "start-first", FailureAction: "pause" });
    expect(body.EndpointSpec).toEqual({ Mode: "dnsrr" });
    expect(body.Mode).toEqual({ Replicated: { Replicas: 3 } });
    const task = body.TaskTemplate as { ContainerSpec: Record<string, unknown>; Networks: unknown };
    expect(task.Networks).toEqual([{ Target: "tinyforge-shop" }]);
    expect(task.ContainerSpec.HealthCheck).toMatchObject({
      Interval: 2_000_000_000,
      Timeout: 1_000_000_000,
      Retries: 4,
    });
    // Secrets travel in the API body's Env, as for a container.
    expect(task.ContainerSpec.Env).toContain("API_TOKEN=tok-123456");
  });
});

describe("engineServiceSpec: resources", () => {
  it("resources.memory and resources.cpus are each task's limits, as Swarm takes them", () => {
    const spec = serviceSpec({
      ...input,
      workload: { ...input.workload, resources: { memory: "256m", cpus: 0.5 } },
    });
    expect(spec).toMatchObject({ memoryBytes: 256 * 1024 ** 2, nanoCpus: 500_000_000 });
    const task = (engineServiceSpec(spec) as { TaskTemplate: Record<string, unknown> }).TaskTemplate;
    expect(task.Resources).toEqual({ Limits: { MemoryBytes: 268_435_456, NanoCPUs: 500_000_000 } });
    const none = (engineServiceSpec(serviceSpec(input)) as { TaskTemplate: Record<string, unknown> })
      .TaskTemplate;
    expect(none).not.toHaveProperty("Resources");
  });
});
