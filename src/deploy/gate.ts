// The gate a new container must pass before it takes traffic: an HTTP readiness probe when the
// workload has a healthcheck, else a liveness window (running, not restarting). Either way a
// container that exits or restarts fails at once rather than after every retry.
import { formatDuration } from "../config/duration.js";
import type { HealthcheckConfig } from "../config/schema.js";
import { errorMessage, TinyforgeError } from "../errors.js";
import type { Clock } from "../ports/clock.js";
import type { ContainerInfo } from "../ports/docker.js";
import type { Host } from "../ports/host.js";

export interface GateTarget {
  id: string;
  name: string;
  hostPort?: number;
  /** When it was started (the deploy's clock); the gate paces its probes by its age. */
  startedAt?: number;
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

/** The shortest wait between probes. */
export const MIN_PROBE_WAIT_MS = 50;

/**
 * The wait before the next probe of a container `ageMs` old: a twentieth of its age, from 50 ms up
 * to the healthcheck's interval. An app is then seen ready within 5% of its boot time (50 ms for
 * one that boots in a second), and a slow one is not flooded: a 60 s boot costs about 100 probes.
 */
export function probeWait(ageMs: number, intervalMs: number): number {
  return Math.min(intervalMs, Math.max(MIN_PROBE_WAIT_MS, Math.round(ageMs / 20)));
}

// The first probe goes out as soon as the container is started, then they are paced by its age
// (probeWait): an app ready in 300 ms is not held for a whole interval. The window is still
// `retries × interval` from the gate's start, as configured.
export async function httpGate(
  host: Host,
  c: GateTarget,
  hc: HealthcheckConfig,
  clock: Clock,
  log: (msg: string) => void,
): Promise<void> {
  const deadline = clock.now() + hc.retries * hc.interval;
  const startedAt = c.startedAt ?? clock.now();
  let last = "";
  let attempt = 0;
  for (;;) {
    attempt++;
    // The port from the start is the one to probe; look again only when there is none.
    const port = c.hostPort ?? (await assertAlive(host, c)).hostPort;
    if (port === undefined) throw new TinyforgeError("deploy_failed", `${c.name} publishes no port to probe`);
    try {
      const res = await host.httpGet(
        port,
        hc.path,
        Math.min(hc.timeout, Math.max(1, deadline - clock.now())),
      );
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
    // A failed probe: "exited" or "restarted" is the answer the user needs, not "refused".
    await assertAlive(host, c);
    log(`attempt ${attempt}: ${hc.path} ${last}`);
    const left = deadline - clock.now();
    if (left <= 0) break;
    await clock.sleep(Math.min(probeWait(clock.now() - startedAt, hc.interval), left));
  }
  throw new TinyforgeError(
    "health_timeout",
    `${c.name} failed its health check ${hc.path} for ${formatDuration(hc.retries * hc.interval)} (${attempt} probes, last: ${last})`,
    {
      hint: "check the healthcheck path and port, and the app's startup time (healthcheck.retries × interval)",
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
