// `tinyforge doctor` against the real testbed: healthy, then each fault a newcomer meets — an
// unpinned host key, a stopped proxy, a deploy's stale lock, a host that cannot be reached or
// never speaks — named with its hint, exit 1. The proxy is a Caddy of the test's own (stopped
// here); the shared testbed's proxies are only read.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/app/doctor/index.js";
import { type App, makeApp, sshHost, tb } from "./harness.js";
import { freePorts, type OwnCaddy, ownCaddy, ownNginx } from "./own-proxies.js";

let caddy: OwnCaddy;
let app: App;

function configWith(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...app.config,
    proxy: { driver: "caddy", admin: caddy.admin, server: "srv0" },
    domain: "tf.test",
    ...extra,
  };
}

async function doctor(config: Record<string, unknown>, env: Record<string, string> = {}) {
  app.write(config);
  const r = await app.cli(["doctor", "--json"], env);
  const report = JSON.parse(r.stdout) as { ok: boolean; findings: Finding[] };
  return { ...r, report, find: (check: string) => report.findings.find((f) => f.check === check) };
}

beforeAll(async () => {
  caddy = await ownCaddy();
  await caddy.start();
  app = makeApp({
    web: { source: "image", image: `${tb.registry}/tinyforge/web:{sha}`, port: 8080 },
  });
}, 60_000);

afterAll(async () => {
  await caddy?.stop();
});

describe("tinyforge doctor", () => {
  it("passes every check on a healthy host and exits 0", async () => {
    const r = await doctor(configWith());
    expect(r.report.findings.filter((f) => f.verdict !== "ok")).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.report.ok).toBe(true);
    const checks = r.report.findings.map((f) => f.check);
    for (const c of [
      "ssh",
      "host key",
      "docker",
      "disk",
      "proxy",
      "caddy reloads",
      "registry (web)",
      "state dir",
      "lock",
    ])
      expect(checks).toContain(c);
    expect(r.find("docker")?.detail).toMatch(/^Docker \S+, API 1\.\d+/);
    expect(r.find("registry (web)")?.detail).toContain(tb.registry);
    // The testbed's host has what the README tells Caddy users to set.
    expect(r.find("caddy reloads")?.detail).toMatch(/^net\.ipv4\.tcp_migrate_req = 1: /);
  }, 120_000);

  it("prints one line per check and the count of problems for a person", async () => {
    app.write(configWith());
    const r = await app.cli(["doctor"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${sshHost.replace(/[/.]/g, "\\$&")}\\n`));
    expect(r.stdout).toMatch(/^ {2}ok +host key +pinned \(ssh-ed25519 SHA256:/m);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("all good");
  }, 120_000);

  it("reports an unpinned host key with its fingerprint and the line to pin, and exits 1", async () => {
    const r = await doctor(configWith(), { TINYFORGE_KNOWN_HOSTS: "# nothing pinned\n" });
    expect(r.code).toBe(1);
    const key = r.find("host key")!;
    expect(key.verdict).toBe("problem");
    expect(key.detail).toMatch(/not pinned: the host presents ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}$/);
    expect(key.hint).toContain(`[${tb.sshHost}]:${tb.sshPort} ssh-ed25519 AAAA`);
    // Nothing is logged in with a key nobody confirmed.
    expect(r.find("ssh")?.verdict).toBe("skipped");
    expect(r.find("docker")?.verdict).toBe("skipped");
  }, 120_000);

  it("reports a stopped proxy's admin API with what to check, and exits 1", async () => {
    await caddy.stop();
    try {
      const r = await doctor(configWith());
      expect(r.code).toBe(1);
      const proxy = r.find("proxy")!;
      expect(proxy.verdict).toBe("problem");
      expect(proxy.detail).toContain(`cannot reach the caddy admin API at 127.0.0.1:${caddy.adminPort}`);
      expect(proxy.hint).toContain("check that caddy runs");
      expect(r.report.findings.filter((f) => f.verdict === "problem")).toHaveLength(1);
    } finally {
      await caddy.start();
    }
  }, 120_000);

  it("runs nginx -t for the nginx driver: passes on a good config, reports a broken one with its error", async () => {
    const nginx = await ownNginx();
    const proxy = {
      driver: "nginx",
      command: nginx.command,
      config_dir: nginx.configDir,
      listen: `127.0.0.1:${nginx.port}`,
    };
    const good = await doctor(configWith({ proxy }));
    expect(good.find("proxy")).toMatchObject({
      verdict: "ok",
      detail: `\`${nginx.command.join(" ")} -t\` passes`,
    });
    writeFileSync(
      join(nginx.configDir, "broken.conf"),
      "server { listen 127.0.0.1:1; bogus_directive on; }\n",
    );
    const bad = await doctor(configWith({ proxy }));
    expect(bad.code).toBe(1);
    const f = bad.find("proxy")!;
    expect(f.verdict).toBe("problem");
    expect(f.detail).toContain('unknown directive "bogus_directive"');
    expect(f.hint).toContain("fix what nginx names");
  }, 120_000);

  it("reports a stale lock with the unlock command, and exits 1", async () => {
    const dir = join(app.stateDir, app.project, "locks", "web.production");
    mkdirSync(dir, { recursive: true });
    const lease = {
      owner: "ci@runner-7 pid 4242",
      deployId: "01JDEADDEPLOY000000000000",
      acquiredAt: "2026-01-01T00:00:00.000Z",
      expiresAt: Date.parse("2026-01-01T00:00:30.000Z"),
      ttlMs: 30_000,
      beat: 3,
    };
    writeFileSync(join(dir, "gen-1.json"), JSON.stringify(lease));
    try {
      const r = await doctor(configWith());
      expect(r.code).toBe(1);
      const lock = r.find("lock web/production")!;
      expect(lock.verdict).toBe("problem");
      expect(lock.detail).toContain(
        "stale lock held by ci@runner-7 pid 4242 (deploy 01JDEADDEPLOY000000000000",
      );
      expect(lock.hint).toContain("tinyforge unlock web --stage production");
      expect(r.find("lock web/preview")).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("reports a host nobody listens on as unreachable, skips the rest, and exits 1", async () => {
    const [port] = await freePorts(1);
    const r = await doctor(configWith({ hosts: [`ssh://root@127.0.0.1:${port}`] }));
    expect(r.code).toBe(1);
    const ssh = r.find("ssh")!;
    expect(ssh.verdict).toBe("problem");
    expect(ssh.detail).toContain("ECONNREFUSED");
    expect(ssh.hint).toMatch(/sshd runs/);
    expect(r.find("proxy")?.verdict).toBe("skipped");
  }, 120_000);

  it("gives up on a host that accepts connections but never speaks within its connect timeout", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const r = await doctor(
        configWith({ hosts: [`ssh://root@127.0.0.1:${port}`], ssh: { connect_timeout: "2s" } }),
      );
      expect(r.code).toBe(1);
      expect(r.find("ssh")?.detail).toMatch(/no SSH host key within 2s/);
      // Bounded by the connect timeout, with room for a loaded machine; never the test's timeout.
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  }, 120_000);
});
