// Host keys are pinned, credentials checked, and a host we cannot reach is exit 4 — each with a
// message saying what to check, and nothing touched.
import { execFileSync, spawnSync } from "node:child_process";
import { type AddressInfo, connect, createServer } from "node:net";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { dropEarlyLogins, loginEarly } from "../../src/app/early-login.js";
import { credentialsFromEnv } from "../../src/app/env.js";
import { environmentGrants } from "../../src/app/grants.js";
import { holdConnections, openSession, readyEarlyHosts, withHost } from "../../src/app/session.js";
import {
  commitAll,
  makeApp,
  projectContainers,
  removeProject,
  spawnCli,
  sshEnv,
  sshHost,
  tb,
} from "./harness.js";
import { sshLogin } from "../../src/adapters/ssh-login.js";
import { sshdLoginCount } from "./testbed.js";

const root = join(import.meta.dirname, "..", "..");
const keys = mkdtempSync(join(tmpdir(), "tf-keys-"));
execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(keys, "other")]);
const otherPub = readFileSync(join(keys, "other.pub"), "utf8").split(" ").slice(0, 2).join(" ");
const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

function app(hosts?: string[]) {
  const a = makeApp(
    { web: { source: "image", image: `${tb.registry}/tinyforge/web:v1`, port: 8080 } },
    hosts ? { hosts } : {},
  );
  apps.push(a.project);
  return a;
}

const deploy = ["deploy", "web", "--stage", "production", "--sha", "1111111"];
const target = { user: tb.sshUser, host: tb.sshHost, port: tb.sshPort };
const key = readFileSync(tb.sshKeyFile, "utf8");
const pins = readFileSync(tb.knownHostsFile, "utf8");

describe("SSH transport", () => {
  it("refuses an unknown host key and says how to pin it", async () => {
    const r = await app().cli(deploy, {
      TINYFORGE_KNOWN_HOSTS_FILE: "",
      TINYFORGE_KNOWN_HOSTS: `[127.0.0.1]:2999 ${otherPub}\n`,
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("host key is not pinned");
    expect(r.stderr).toContain("TINYFORGE_KNOWN_HOSTS");
  });

  it("refuses a changed host key", async () => {
    const r = await app().cli(deploy, {
      TINYFORGE_KNOWN_HOSTS_FILE: "",
      TINYFORGE_KNOWN_HOSTS: `[127.0.0.1]:${tb.sshPort} ${otherPub}\n`,
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("does not match the pinned key");
  });

  it("reports an authentication failure as exit 4", async () => {
    const r = await app().cli(deploy, { TINYFORGE_SSH_KEY_FILE: join(keys, "other") });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("SSH authentication failed");
    expect(r.stderr).toContain("authorized_keys");
  });

  it("reports an unreachable host as exit 4 and deploys nothing", async () => {
    const a = app(["ssh://root@127.0.0.1:1"]);
    const r = await a.cli(deploy);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("cannot reach the host over SSH");
    expect(await projectContainers(a.project)).toEqual([]);
  });

  it("reports a key that cannot be parsed as a usage error (exit 2) naming the key, not the network", async () => {
    const r = await app().cli(deploy, { TINYFORGE_SSH_KEY_FILE: "", TINYFORGE_SSH_KEY: "not a key at all" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the SSH key cannot be read");
    expect(r.stderr).toContain("TINYFORGE_SSH_KEY");
    expect(r.stderr).not.toContain("cannot reach the host");
  });

  it("says which variable is missing when there is no key", async () => {
    const r = await app().cli(deploy, { TINYFORGE_SSH_KEY_FILE: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("TINYFORGE_SSH_KEY");
  });

  it("a known_hosts file that cannot be read is bad usage (exit 2): nothing is contacted", async () => {
    const missing = join(keys, "no-such-known_hosts");
    const r = await app().cli(["status"], { TINYFORGE_KNOWN_HOSTS_FILE: missing });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`TINYFORGE_KNOWN_HOSTS_FILE: cannot read ${missing} (ENOENT)`);
  });

  it("with no pinned keys given, ~/.ssh/known_hosts pins the host as ssh would", async () => {
    const home = mkdtempSync(join(tmpdir(), "tf-home-"));
    mkdirSync(join(home, ".ssh"));
    copyFileSync(tb.knownHostsFile, join(home, ".ssh", "known_hosts"));
    const pinned = await app().cli(["status"], { HOME: home, TINYFORGE_KNOWN_HOSTS_FILE: "" });
    expect(pinned.stderr).toBe("");
    expect(pinned.code).toBe(0);

    const empty = mkdtempSync(join(tmpdir(), "tf-home-"));
    const none = await app().cli(["status"], { HOME: empty, TINYFORGE_KNOWN_HOSTS_FILE: "" });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no pinned host keys");
    expect(none.stderr).toContain("~/.ssh/known_hosts");
  });

  // The CLI begins the SSH login from the raw file while it loads its validator (early-login.ts).
  it("logs in once per deploy, the login begun before the config was validated", async () => {
    const logins0 = sshdLoginCount(tb);
    const r = await spawnCli(app(), deploy).done;
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(sshdLoginCount(tb) - logins0).toBe(1);
  });

  it("an invalid config ends the command at once, its host's login cut off mid-handshake", async () => {
    // A host that accepts the connection and never says a word, with an hour to do so.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const a = app([`ssh://root@127.0.0.1:${(silent.address() as AddressInfo).port}`]);
      a.write({
        ...a.config,
        ssh: { connect_timeout: "1h" },
        workloads: { web: { source: "image", image: "r/web:{sha}", port: "eighty" } },
      });
      // An unknown YAML tag: the YAML library warns about it, the validator reports the value.
      const file = join(a.dir, "tinyforge.yml");
      writeFileSync(file, readFileSync(file, "utf8").replace("port: eighty", "port: !custom eighty"));
      const run = spawnCli(a, deploy);
      const ended = await Promise.race([
        run.done,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000).unref()),
      ]);
      if (!ended) run.child.kill("SIGKILL");
      expect(ended?.code).toBe(2);
      expect(ended?.stderr).toContain("workloads.web.port");
      // What is wrong with the file is said once, by the validator (no YAML warnings before it).
      expect(ended?.stderr).not.toContain("Warning");
    } finally {
      silent.close();
    }
  });

  it("without --stage, the checked-out branch's stage gets the head start too", async () => {
    const a = app();
    commitAll(a.dir, "app");
    const r = await spawnCli(a, ["deploy", "web", "--sha", "a".repeat(40)], { TINYFORGE_TRACE: "1" }).done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`login ${sshHost} (early)`);
    expect(r.stderr).toContain(`connect ${sshHost} (login begun early)`);
  });

  // Once the engine has loaded, the head start goes on to the first round trips every command makes.
  it("an early login readies its host while the config is validated, and the command takes that very host", async () => {
    const a = app();
    const env = { ...process.env, ...sshEnv };
    const logins0 = sshdLoginCount(tb);
    const early = loginEarly(readFileSync(join(a.dir, "tinyforge.yml"), "utf8"), "production", env);
    readyEarlyHosts(early);
    const ready = await early.get(sshHost)!.ready!;
    const s = await openSession(join(a.dir, "tinyforge.yml"), {
      credentials: credentialsFromEnv(env),
      grants: environmentGrants(env),
      lockTtlMs: 30_000,
    });
    const held = holdConnections(s, [sshHost], early);
    try {
      expect(await withHost(s, sshHost, async (h) => h === ready)).toBe(true);
      expect(sshdLoginCount(tb) - logins0).toBe(1);
    } finally {
      await held.release();
      dropEarlyLogins(early.values());
    }
  });

  it("a host readied for a config that proves invalid is closed with its login", async () => {
    const a = app();
    const early = loginEarly(readFileSync(join(a.dir, "tinyforge.yml"), "utf8"), "production", {
      ...process.env,
      ...sshEnv,
    });
    readyEarlyHosts(early);
    const ready = await early.get(sshHost)!.ready!;
    dropEarlyLogins(early.values());
    await expect(ready.docker.ping()).rejects.toThrow();
  });

  // The head start dials before ssh2 has loaded and hands the connection over (early-login.ts).
  it("logs in over a TCP connection opened beforehand, the server's banner already waiting", async () => {
    const sock = connect({ host: tb.sshHost, port: tb.sshPort });
    await new Promise((r) => sock.once("connect", r));
    await new Promise((r) => setTimeout(r, 100));
    const ssh = await sshLogin(target, { privateKey: key, knownHosts: pins, sock });
    try {
      expect((await ssh.execCommand("echo over-it")).stdout).toBe("over-it");
      // ssh2 spoke on the connection it was given (its banner went out on it).
      expect(sock.bytesWritten).toBeGreaterThan(0);
    } finally {
      ssh.dispose();
    }
    // Closing the login closes that connection: it was the login's, not a second one.
    await new Promise((r) => setTimeout(r, 50));
    expect(sock.destroyed).toBe(true);
  });

  it("a connection opened beforehand that already failed: the login connects afresh", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = connect({ host: "127.0.0.1", port });
    await new Promise((r) => refused.once("error", r));
    const ssh = await sshLogin(target, { privateKey: key, knownHosts: pins, sock: refused });
    try {
      expect((await ssh.execCommand("echo fresh")).stdout).toBe("fresh");
    } finally {
      ssh.dispose();
    }
    // With nothing to take over, the failure is the login's own, reported as the host's.
    const gone = connect({ host: "127.0.0.1", port });
    gone.on("error", () => undefined);
    await expect(
      sshLogin({ user: "root", host: "127.0.0.1", port }, { privateKey: key, knownHosts: pins, sock: gone }),
    ).rejects.toMatchObject({ code: "host_unreachable" });
  });

  it("with its own SSH bounds set, a deploy still logs in once (the head start read them alike)", async () => {
    const a = app();
    a.write({ ...a.config, ssh: { connect_timeout: "7s", keepalive: "2s" } });
    const logins0 = sshdLoginCount(tb);
    const r = await spawnCli(a, deploy).done;
    expect(r.code).toBe(0);
    expect(sshdLoginCount(tb) - logins0).toBe(1);
  });

  it("reads a config piped on stdin once: a deploy from -c /dev/stdin works", async () => {
    const a = app();
    const logins0 = sshdLoginCount(tb);
    // Through a real pipe, as a shell makes one (node's own stdin pipes are sockets, which
    // /dev/stdin cannot open).
    const file = join(a.dir, "piped.yml");
    writeFileSync(file, stringify(a.config));
    const cli = [
      process.execPath,
      "--import",
      "tsx",
      join(root, "src/cli/index.ts"),
      "-c",
      "/dev/stdin",
      ...deploy,
    ];
    const r = spawnSync("bash", ["-c", 'f="$1"; shift; cat "$f" | "$@"', "pipe", file, ...cli], {
      cwd: root,
      env: { ...process.env, ...sshEnv },
      encoding: "utf8",
    });
    expect(r.stderr).not.toContain("error");
    expect(r.status).toBe(0);
    expect(sshdLoginCount(tb) - logins0).toBe(1);
  });
});
