// Shared by the network-fault tests: apps whose host is the testbed's sshd reached through a
// FaultRelay, a way to act when a deploy's journal shows a step starting, and the checks every
// fault case ends with (the old release serves, the next deploy cleans up and succeeds).
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { FaultRelay } from "./fault-relay.js";
import { type App, get, makeApp, projectContainers, readState, tb } from "./harness.js";

export interface RelayedHost {
  relay: FaultRelay;
  /** hosts: entry through the relay. */
  host: string;
  /** Env for the CLI: the sshd's pinned key under the relay's port, a short lock TTL. */
  env: Record<string, string>;
}

export async function relayedHost(): Promise<RelayedHost> {
  const relay = await FaultRelay.start({ host: tb.sshHost, port: tb.sshPort });
  const knownHosts = join(mkdtempSync(join(tmpdir(), "tf-relay-")), "known_hosts");
  writeFileSync(
    knownHosts,
    readFileSync(tb.knownHostsFile, "utf8").replaceAll(`]:${tb.sshPort} `, `]:${relay.port} `),
  );
  return {
    relay,
    host: `ssh://${tb.sshUser}@127.0.0.1:${relay.port}`,
    // A killed or cut deploy's lease goes stale quickly, so the next deploy need not wait long.
    env: { TINYFORGE_KNOWN_HOSTS_FILE: knownHosts, TINYFORGE_LOCK_TTL_MS: "1500" },
  };
}

export function relayedApp(
  via: RelayedHost,
  workloads: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): App {
  return makeApp(workloads, {
    hosts: [via.host],
    lock_timeout: "30s",
    // Short bounds keep the stall cases quick: a silent connection is dead in ~4 × keepalive.
    ssh: { connect_timeout: "3s", keepalive: "1s" },
    ...extra,
  });
}

/** Where a project's state lives on the (local) test host: an App, or a bot test's repo config. */
type StateOf = Pick<App, "stateDir" | "project">;

function deployRecords(app: StateOf): Array<Record<string, unknown>> {
  const dir = join(app.stateDir, app.project, "deploys");
  if (!existsSync(dir)) return [];
  // Only whole records: a write in progress is a temp file beside its record.
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
}

/**
 * Resolves once a deploy of `sha` has journaled `step` starting (the events reach the host at once).
 * `ended`, the deploy itself: if it ends before the step starts, this fails with its output, so a
 * case that never reached its fault says why instead of waiting out the bound.
 */
export async function stepStarted(
  app: StateOf,
  sha: string,
  step: string,
  ended?: Promise<{ code: number | null; stderr: string }>,
  ms = 90_000,
): Promise<void> {
  const events = join(app.stateDir, app.project, "events");
  let outcome: { code: number | null; stderr: string } | undefined;
  void ended?.then((r) => {
    outcome = r;
  });
  const t0 = Date.now();
  for (;;) {
    const rec = deployRecords(app).find((r) => r.sha === sha);
    const file = rec && join(events, `${rec.deployId}.jsonl`);
    if (file && existsSync(file) && readFileSync(file, "utf8").includes(`"step":"${step}","msg":"started"`))
      return;
    if (outcome)
      throw new Error(
        `deploy of ${sha} ended (exit ${outcome.code}) before step ${step}:\n${outcome.stderr}`,
      );
    if (Date.now() - t0 > ms) throw new Error(`deploy of ${sha} never started step ${step} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The record of the deploy of `sha`. */
export function recordOf(app: StateOf, sha: string): Record<string, unknown> | undefined {
  return deployRecords(app).find((r) => r.sha === sha);
}

/** What the instance serves now, through its recorded URL (or a given reader, e.g. the proxy). */
export async function serving(app: App, read?: (url: string) => Promise<string>): Promise<string> {
  const url = readState(app, "web.production")?.active?.url;
  if (!url) return "(nothing)";
  return read ? read(url) : (await get(url)).body;
}

/**
 * After a fault: the next deploy reconciles what the faulted one left (its record says
 * interrupted, no lease or orphan survives) and succeeds.
 */
export async function nextDeploySucceeds(
  app: App,
  env: Record<string, string>,
  deploy: string[],
  faulted: { sha: string },
): Promise<void> {
  const next = await app.cli(deploy, env);
  expect(next.stderr, "the next deploy").not.toMatch(/^error:/m);
  expect(next.code).toBe(0);
  expect(recordOf(app, faulted.sha)?.outcome).toBe("interrupted");
  const state = readState(app, "web.production");
  const running = (await projectContainers(app.project)).filter(
    (c) => !c.Labels["com.docker.compose.project"],
  );
  if (running.length > 0) {
    // No orphan: exactly the container the state names.
    expect(running.map((c) => [c.Names[0]?.slice(1), c.State])).toEqual([
      [state?.active?.container, "running"],
    ]);
  }
  const locks = join(app.stateDir, app.project, "locks", "web.production");
  const leases = existsSync(locks) ? readdirSync(locks).filter((f) => /^gen-\d+\.json$/.test(f)) : [];
  expect(leases).toEqual([]);
}
