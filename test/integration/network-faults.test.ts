// The network between the engine and its host fails, per step class, across strategies and
// sources: the connection is cut (at a step, at a byte count, for good), goes silent, crawls, or is
// refused. Every time: a coded error (exit 4) within a bound and one line saying what happened,
// the previous release still serving, and the next deploy cleaning up and succeeding.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  nextDeploySucceeds,
  recordOf,
  type RelayedHost,
  relayedApp,
  relayedHost,
  serving,
  stepStarted,
} from "./fault-harness.js";
import {
  type App,
  commitAll,
  docker,
  fastHealth,
  makeApp,
  projectContainers,
  readState,
  removeProjectAndImages,
  spawnCli,
  tb,
} from "./harness.js";
import { DOMAIN, ptb, viaProxy } from "./proxy-harness.js";
import { SecondEngine } from "./second-engine.js";

let via: RelayedHost;
const apps: App[] = [];
beforeAll(async () => {
  via = await relayedHost();
});
// A case that fails midway must not leave its fault on the shared relay for the next case.
afterEach(async () => {
  await via?.relay.pass();
});
afterAll(async () => {
  await via?.relay.close();
  for (const a of apps) {
    // Leave the shared Caddy as it was; then the containers and images.
    await a.cli(["teardown", "web", "--stage", "production"], via.env).catch(() => undefined);
    await removeProjectAndImages(a.project);
    const stack = await docker.listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${a.project}-web-production`] },
    });
    for (const c of stack)
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
});

const CLOSED = /^error: host 127\.0\.0\.1: the SSH connection closed during "([\w-]+)"; (.+)$/m;
/** Cut → exit: reconnect (one login) and reconcile, on a loaded machine. */
const CUT_BOUND_MS = 20_000;

const deployArgs = (sha: string, ref?: string) => [
  "deploy",
  "web",
  "--stage",
  "production",
  "--sha",
  sha,
  ...(ref ? ["--ref", ref] : []),
];

/** Runs a deploy and injects `fault` when the deploy starts `step`; returns the result and timing. */
async function faulted(app: App, sha: string, ref: string | undefined, step: string, fault: () => unknown) {
  const run = app.cli(deployArgs(sha, ref), via.env);
  await stepStarted(app, sha, step, run);
  const t0 = Date.now();
  await fault();
  const r = await run;
  return { ...r, ms: Date.now() - t0 };
}

function expectClosedLine(stderr: string, what: RegExp) {
  const m = CLOSED.exec(stderr);
  expect(m, stderr).not.toBeNull();
  expect(m![2]).toMatch(what);
}

function imageApp(strategy: "blue-green" | "recreate", extra: Record<string, unknown> = {}) {
  const app = relayedApp(
    via,
    {
      web: {
        source: "image",
        image: `${tb.registry}/tinyforge/web:{ref}`,
        port: 8080,
        deploy_strategy: strategy,
        healthcheck: fastHealth,
        drain: "100ms",
        stop_timeout: "1s",
      },
    },
    extra,
  );
  apps.push(app);
  return app;
}

describe("image, blue-green behind Caddy (the proxy's admin API through the tunnel)", () => {
  let app: App;
  const viaCaddy = () => viaProxy(ptb.caddy.port, `stage-production-${app.project}.${DOMAIN}`);
  beforeAll(async () => {
    app = imageApp("blue-green", {
      proxy: { driver: "caddy", admin: ptb.caddy.admin, server: ptb.caddy.server },
      domain: DOMAIN,
    });
    expect((await app.cli(deployArgs("1000001", "v1"), via.env)).code).toBe(0);
  });

  it.each([
    { step: "start", sha: "2000002", ref: "v2", before: "v1" },
    { step: "route", sha: "3000003", ref: "v1", before: "v2" },
  ])(
    "a cut when $step starts: exit 4, one line, the previous release serves, the next deploy succeeds",
    async ({ step, sha, ref, before }) => {
      const r = await faulted(app, sha, ref, step, () => via.relay.cut());
      expect(r.code).toBe(4);
      expect(r.ms).toBeLessThan(CUT_BOUND_MS);
      expectClosedLine(r.stderr, /the previous release still serves|the new release serves/);
      // Reconnected: the record says interrupted, with the step, and the lock is already gone.
      expect(recordOf(app, sha)).toMatchObject({ outcome: "interrupted" });
      if (/previous release still serves/.test(r.stderr)) expect((await viaCaddy()).body).toBe(before);
      await nextDeploySucceeds(app, via.env, deployArgs(sha.replace(/^./, "9"), ref), { sha });
      expect((await viaCaddy()).body).toBe(ref);
    },
  );

  // These faults land while green starts (seconds), before the route step: at "gate" they raced a
  // first probe that answers in milliseconds, and the route step could already be under way.
  it("a host that goes silent while green starts: exit 4 within the keepalive bound, the previous release serves", async () => {
    const r = await faulted(app, "4000004", "v2", "start", () => via.relay.stall());
    await via.relay.pass();
    expect(r.code).toBe(4);
    // ~4 × keepalive (1 s) to notice, then one login attempt bounded by connect_timeout (3 s).
    expect(r.ms).toBeLessThan(4_000 + 3_000 + CUT_BOUND_MS);
    expectClosedLine(r.stderr, /the previous release still serves/);
    expect((await viaCaddy()).body).toBe("v1");
    await nextDeploySucceeds(app, via.env, deployArgs("4900004", "v2"), { sha: "4000004" });
    expect((await viaCaddy()).body).toBe("v2");
  });

  it("a host that vanishes while green starts (cut, then refused): exit 4, the next deploy cleans up", async () => {
    const r = await faulted(app, "5000005", "v1", "start", () => via.relay.refuse());
    expect(r.code).toBe(4);
    expect(r.ms).toBeLessThan(CUT_BOUND_MS);
    // Nothing it touched serves: blue and its route were never changed before the route step.
    expectClosedLine(r.stderr, /the previous release still serves/);
    expect((await viaCaddy()).body).toBe("v2");
    await via.relay.pass();
    // The green it started is an orphan until the next deploy's reconcile removes it.
    expect((await projectContainers(app.project)).length).toBe(2);
    await nextDeploySucceeds(app, via.env, deployArgs("5900005", "v1"), { sha: "5000005" });
    expect((await viaCaddy()).body).toBe("v1");
  });
});

describe("image, recreate (the old container is stopped before the new one starts)", () => {
  let app: App;
  beforeAll(async () => {
    app = imageApp("recreate");
    expect((await app.cli(deployArgs("1000001", "v1"), via.env)).code).toBe(0);
  });

  it("a cut during the gate, from a real process: exit 4 in seconds, the old release restarted", async () => {
    const p = spawnCli(app, deployArgs("2000002", "v2"), via.env);
    // A process left behind by a failed wait would deploy into the next case.
    await stepStarted(app, "2000002", "gate", p.done).catch((e) => {
      p.child.kill("SIGKILL");
      throw e;
    });
    const t0 = Date.now();
    via.relay.cut();
    const r = await p.done;
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 4, signal: null });
    expect(Date.now() - t0).toBeLessThan(CUT_BOUND_MS);
    expectClosedLine(r.stderr, /the previous release still serves/);
    expect(await serving(app)).toBe("v1");
    await nextDeploySucceeds(app, via.env, deployArgs("2900002", "v2"), { sha: "2000002" });
    expect(await serving(app)).toBe("v2");
  });

  it("a cut at a byte count into the deploy: exit 4 with a coded message, the next deploy succeeds", async () => {
    via.relay.cutAfterBytes(40_000);
    const r = await app.cli(deployArgs("3000003", "v1"), via.env);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error: .*(SSH connection closed|cannot reach|does not answer)/m);
    const next = await app.cli(deployArgs("3900003", "v1"), via.env);
    expect(next.code).toBe(0);
    expect(await serving(app)).toBe("v1");
  });

  it("a throttled connection: the deploy is slower and succeeds", async () => {
    via.relay.throttle(64 * 1024);
    try {
      const r = await app.cli(deployArgs("4000004", "v2"), via.env);
      expect(r.stderr).not.toMatch(/^error:/m);
      expect(r.code).toBe(0);
    } finally {
      await via.relay.pass();
    }
    expect(await serving(app)).toBe("v2");
  });

  it("a refused connection: exit 4 at once, nothing touched", async () => {
    await via.relay.refuse();
    try {
      const t0 = Date.now();
      const r = await app.cli(deployArgs("5000005", "v1"), via.env);
      expect(r.code).toBe(4);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(r.stderr).toContain("cannot reach the host over SSH (ECONNREFUSED)");
      expect(recordOf(app, "5000005")).toBeUndefined();
    } finally {
      await via.relay.pass();
    }
    expect(await serving(app)).toBe("v2");
  });

  it("a host that accepts TCP and never answers: exit 4 within ssh.connect_timeout", async () => {
    via.relay.stall();
    try {
      const t0 = Date.now();
      const r = await app.cli(deployArgs("6000006", "v1"), via.env);
      expect(r.code).toBe(4);
      expect(Date.now() - t0).toBeLessThan(3_000 + 5_000);
      expect(r.stderr).toContain("no SSH handshake within 3s");
    } finally {
      await via.relay.pass();
    }
    expect(await serving(app)).toBe("v2");
  });
});

function writeSite(dir: string, version: string) {
  mkdirSync(join(dir, "www"), { recursive: true });
  writeFileSync(
    join(dir, "Dockerfile"),
    'FROM tinyforge/busybox:latest\nCOPY www /www\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
  );
  writeFileSync(join(dir, "www", "index.html"), `${version}\n`);
  writeFileSync(join(dir, "www", "healthz"), "ok\n");
}

describe.each([
  { source: "dockerfile", step: "build" },
  { source: "static", step: "build" },
  { source: "compose", step: "up" },
])("$source source", ({ source, step }) => {
  it(`a cut when ${step} starts: exit 4, the previous release serves, the next deploy succeeds`, async () => {
    const workload =
      source === "compose"
        ? { source, service: "web", port: 8080, healthcheck: fastHealth }
        : source === "static"
          ? { source, context: "www", base_image: "tinyforge/busybox:latest", healthcheck: fastHealth }
          : { source, port: 8080, healthcheck: fastHealth, drain: "100ms", stop_timeout: "1s" };
    const app = relayedApp(via, { web: workload });
    apps.push(app);
    const release = (v: string) => {
      if (source === "compose")
        writeFileSync(
          join(app.dir, "docker-compose.yml"),
          `version: "3.7"\nservices:\n  web:\n    image: tinyforge/web:${v}\n    ports: ["127.0.0.1::8080"]\n`,
        );
      else writeSite(app.dir, v);
      return commitAll(app.dir, v);
    };
    const deploy = (sha: string) => ["deploy", "web", "--stage", "production", "--sha", sha];
    expect((await app.cli(deploy(release("v1")), via.env)).code).toBe(0);
    const sha2 = release("v2");
    const r = await faulted(app, sha2, undefined, step, () => via.relay.cut());
    expect(r.code).toBe(4);
    expect(r.ms).toBeLessThan(CUT_BOUND_MS);
    expectClosedLine(r.stderr, /the previous release still serves/);
    expect(await serving(app)).toBe("v1");
    await nextDeploySucceeds(app, via.env, deploy(sha2), { sha: sha2 });
    expect(await serving(app)).toBe("v2");
    // compose over SSH is slow on a loaded machine (an exec per uploaded file, docker-compose v1).
  }, 300_000);
});

// Restarting dockerd mid-deploy needs an engine of the test's own (second-engine.ts starts one,
// reached through `?socket=` on the host entry): the testbed's dockerd is shared and must not be
// restarted.
describe("the Docker daemon restarts mid-deploy (a second dockerd the test owns)", () => {
  let engine: SecondEngine | undefined;
  afterAll(async () => {
    await engine?.remove();
  });

  it("a deploy in its gate ends in seconds with a coded error; the old release serves again once dockerd is back", async () => {
    engine = await SecondEngine.start([tb.images.registryWebV1, tb.images.registryWebV2]);
    const app = makeApp(
      {
        web: {
          source: "image",
          image: `${tb.registry}/tinyforge/web:{ref}`,
          pull: "missing",
          port: 8080,
          deploy_strategy: "blue-green",
          // Ready only after a few seconds: the gate is still probing when dockerd goes.
          command: ["/bin/sh", "-c", "sleep 4; exec httpd -f -p 8080 -h /www"],
          healthcheck: { path: "/healthz", retries: 60, interval: "500ms", timeout: "2s" },
          drain: "100ms",
          stop_timeout: "1s",
        },
      },
      {
        hosts: [`ssh://${tb.sshUser}@${tb.sshHost}:${tb.sshPort}?socket=${engine.socket}`],
        lock_timeout: "30s",
        ssh: { connect_timeout: "5s", keepalive: "1s" },
      },
    );
    const env = { TINYFORGE_LOCK_TTL_MS: "1500" };
    expect((await app.cli(deployArgs("1000001", "v1"), env)).code).toBe(0);
    expect(await serving(app)).toBe("v1");

    const run = app.cli(deployArgs("2000002", "v2"), env);
    await stepStarted(app, "2000002", "gate", run);
    const t0 = Date.now();
    await engine.down();
    const downMs = Date.now() - t0;
    const r = await run;
    const ms = Date.now() - t0;
    await engine.up();
    // Ended within seconds of dockerd going away (stopping it takes a while itself), coded, no hang.
    expect(ms - downMs).toBeLessThan(CUT_BOUND_MS);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^error: root@127\.0\.0\.1:\d+: the Docker engine does not answer on \/run\/tf-faults-\w+\/docker\.sock \(is dockerd running\?\)$/m,
    );
    expect(recordOf(app, "2000002")).toMatchObject({
      outcome: "interrupted",
      error: { code: "docker_unreachable" },
    });
    // dockerd is back: the old release serves (its restart policy, or reconcile restarting the
    // active release when dockerd was slower to bring it back), and the next deploy succeeds.
    const rec = await app.cli(["reconcile"], env);
    expect(rec.code, rec.stderr).toBe(0);
    const t1 = Date.now();
    while ((await serving(app).catch(() => "")) !== "v1") {
      if (Date.now() - t1 > 90_000) throw new Error("v1 does not serve again after dockerd is back");
      await new Promise((r) => setTimeout(r, 250));
    }
    const next = await app.cli(deployArgs("3000003", "v2"), env);
    expect(next.code, next.stderr).toBe(0);
    expect(await serving(app)).toBe("v2");
    // No orphan: the green that came back with dockerd is gone, only the active release runs.
    const left = await engine.docker.listContainers({
      all: true,
      filters: { label: [`dev.tinyforge.project=${app.project}`] },
    });
    expect(left.map((c) => c.Names[0]?.slice(1))).toEqual([
      readState(app, "web.production")?.active?.container,
    ]);
  }, 300_000);
});
