// The gate a new container must pass before it takes traffic: an HTTP readiness probe when the
// workload has a healthcheck, else a liveness window (running, not restarting). Either way a
// container that exits or restarts fails at once rather than after every retry.
import type { HealthcheckConfig } from "../config/schema.js";
import { errorMessage, TinyforgeError } from "../errors.js";
import type { Clock } from "../ports/clock.js";
import type { ContainerInfo } from "../ports/docker.js";
import type { Host } from "../ports/host.js";

export interface GateTarget {
  id: string;
  name: string;
  hostPort?: number;
}

// Only new containers are gated, so any restart at all means it crashed: under the restart
// policy Docker brings it back, and an instant later it can look "running" again.
async function assertAlive(host: Host, c: GateTarget): Promise<ContainerInfo> {
  const info = await host.docker.inspect(c.id);
  if (!info?.running || info.restartCount > 0) {
    const why = !info
      ? "disappeared"
      : info.restartCount > 0
        ? `restarted ${info.restartCount}x (last exit code ${info.exitCode})`
        : `exited with code ${info.exitCode}`;
    throw new TinyforgeError("container_exited", `${c.name} ${why} before it passed its gate`, {
      hint: "its last output lines are in this deploy's events (step container-log)",
    });
  }
  return info;
}

export async function httpGate(
  host: Host,
  c: GateTarget,
  hc: HealthcheckConfig,
  clock: Clock,
  log: (msg: string) => void,
): Promise<void> {
  let last = "";
  for (let attempt = 1; attempt <= hc.retries; attempt++) {
    // Alive first: Docker stops listing the ports of a container that exited, and "exited" is
    // the answer the user needs, not "no port". The port comes from the same look.
    const info = await assertAlive(host, c);
    const port = info.hostPort ?? c.hostPort;
    if (port === undefined) throw new TinyforgeError("deploy_failed", `${c.name} publishes no port to probe`);
    try {
      const res = await host.httpGet(port, hc.path, hc.timeout);
      const ok =
        hc.expect_status === undefined
          ? res.status >= 200 && res.status < 400
          : res.status === hc.expect_status;
      if (ok) {
        log(`${hc.path} answered ${res.status} on attempt ${attempt}`);
        return;
      }
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = errorMessage(e);
    }
    log(`attempt ${attempt}/${hc.retries}: ${hc.path} ${last}`);
    if (attempt < hc.retries) await clock.sleep(hc.interval);
  }
  throw new TinyforgeError(
    "health_timeout",
    `${c.name} failed its health check ${hc.path} ${hc.retries} times (last: ${last})`,
    {
      hint: "check the healthcheck path and port, and the app's startup time (healthcheck.retries/interval)",
    },
  );
}

export async function livenessGate(host: Host, c: GateTarget, windowMs: number, clock: Clock): Promise<void> {
  const end = clock.now() + windowMs;
  // Sample a few times rather than once at the end: a crash loop can look "running" at any instant.
  const every = Math.max(100, Math.min(1000, Math.floor(windowMs / 5)));
  for (;;) {
    await assertAlive(host, c);
    const left = end - clock.now();
    if (left <= 0) return;
    await clock.sleep(Math.min(every, left));
  }
}
