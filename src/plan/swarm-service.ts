// The Swarm service a deploy asks for, as data. Pure: the exact spec is asserted in unit tests, and
// the adapter only translates it to the Engine API's body (src/adapters/swarm-engine.ts).
import type { Config, HealthcheckConfig, WorkloadConfig } from "../config/schema.js";
import type { ServiceSpec } from "../ports/swarm.js";
import type { Route } from "../ports/proxy.js";
import { type ContainerPlanInput, containerSpec } from "./container.js";

/** The overlay network the project's services and the proxy share. */
export function swarmNetwork(config: Pick<Config, "project" | "swarm">): string {
  return config.swarm.network ?? `tinyforge-${config.project}`;
}

/**
 * The gate, run by Swarm inside each task: the same HTTP path, from the task's own loopback, with
 * whichever of wget (busybox, Alpine, Debian) or curl the image has. Swarm's health check only
 * knows exit codes: a status outside 2xx/3xx fails it (expect_status is not checked here).
 */
export function healthTest(port: number, h: HealthcheckConfig): string[] {
  const url = `http://127.0.0.1:${port}${h.path}`;
  return ["CMD-SHELL", `wget -q -O /dev/null '${url}' || curl -fsS -o /dev/null '${url}'`];
}

export function serviceSpec(
  p: Omit<ContainerPlanInput, "publishIp" | "hostPort" | "aliases"> & {
    workload: ContainerPlanInput["workload"] & Pick<WorkloadConfig, "replicas" | "healthcheck">;
    config: Pick<Config, "project" | "swarm">;
  },
): ServiceSpec {
  const w = p.workload;
  // The container's env, exactly (secrets included, in the API body only); TINYFORGE_DEPLOY_ID
  // changes every deploy, so every deploy is a real rolling update even with an unchanged image.
  const { env, memoryBytes, nanoCpus } = containerSpec({ ...p, publishIp: "127.0.0.1" });
  const h = w.healthcheck;
  return {
    name: p.name,
    image: p.image,
    labels: p.labels,
    env,
    ...(w.command ? { command: w.command } : {}),
    replicas: w.replicas ?? 1,
    network: swarmNetwork(p.config),
    endpointMode: p.config.swarm.endpoint_mode,
    ...(h && w.port !== undefined
      ? {
          health: {
            test: healthTest(w.port, h),
            intervalMs: h.interval,
            timeoutMs: h.timeout,
            retries: h.retries,
            startPeriodMs: 0,
          },
        }
      : {}),
    stopGraceMs: w.stop_timeout,
    monitorMs: p.config.swarm.monitor,
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
    ...(nanoCpus !== undefined ? { nanoCpus } : {}),
  };
}

/** Where the proxy (a container on the overlay network) sends the hostname: the service's tasks. */
export function serviceRoute(
  v: { hostname: string; service: string; port: number; tls: boolean },
  mode: "dnsrr" | "vip",
): Route {
  // dnsrr: tasks.SERVICE resolves to every running task; vip: the service name is one virtual IP
  // that IPVS balances (nodes without IPVS answer nothing there).
  const host = mode === "dnsrr" ? `tasks.${v.service}` : v.service;
  return { hostname: v.hostname, upstream: { host, port: v.port }, tls: v.tls, spread: true };
}
