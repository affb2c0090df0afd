// The CLI's head start on SSH: which hosts it begins logging into from the raw config file, with
// which settings, and when it starts nothing (the command then connects as it always did).
import { type AddressInfo, createServer, type Socket as NetSocket, type Socket } from "node:net";
import type { NodeSSH } from "node-ssh";
import { describe, expect, it, vi } from "vitest";
import { dropEarlyLogins, loginEarly, sameSecrets, stageOfBranch } from "../../../src/app/early-login.js";
import type { SshLoginOptions, SshTarget } from "../../../src/adapters/ssh-login.js";

const env = { TINYFORGE_SSH_KEY: "KEY", TINYFORGE_KNOWN_HOSTS: "PINS", HOME: "/nonexistent" };

/** The logins begun, once the (stand-in) SSH client has taken each connection. */
async function started(yaml: string | undefined, stage?: string, environment: Record<string, string> = env) {
  const calls: { target: SshTarget; opts: SshLoginOptions }[] = [];
  const dialed: { target: { host: string; port: number }; destroyed: boolean }[] = [];
  const logins = loginEarly(yaml, stage, environment, {
    loadClient: async () => async (target, opts) => {
      calls.push({ target, opts });
      return { dispose: () => undefined } as unknown as NodeSSH;
    },
    dial: (target) => {
      const d = { target, destroyed: false };
      dialed.push(d);
      return {
        dialed: target.host,
        destroy: () => {
          d.destroyed = true;
        },
      } as unknown as Socket;
    },
  });
  await Promise.all([...logins.values()].map((l) => l.begun));
  return { logins, calls, dialed };
}

const two = `
project: shop
hosts: ["ssh://deploy@a.example:22", "local"]
stages:
  production: { branch: main, hosts: ["ssh://deploy@b.example:2222", "ssh://deploy@c.example"] }
  staging: { branch: dev }
workloads: {}
`;

describe("logging in before the config is validated", () => {
  it("starts on the named stage's own hosts, or else the top-level ones, and skips local", async () => {
    expect([...(await started(two, "production")).logins.keys()]).toEqual([
      "ssh://deploy@b.example:2222",
      "ssh://deploy@c.example",
    ]);
    const staging = await started(two, "staging");
    expect([...staging.logins.keys()]).toEqual(["ssh://deploy@a.example:22"]);
    expect(staging.calls[0]!.target).toEqual({ kind: "ssh", user: "deploy", host: "a.example", port: 22 });
  });

  it("takes the only stage when none is named, and starts nothing when several could be meant", async () => {
    const one = `project: shop\nhosts: ["ssh://root@h.example"]\nstages: { production: { branch: main } }\n`;
    expect([...(await started(one)).logins.keys()]).toEqual(["ssh://root@h.example"]);
    expect((await started(two)).calls).toEqual([]);
    expect((await started(two, "no-such-stage")).calls).toEqual([]);
  });

  it("uses the file's SSH bounds and the environment's key and pins", async () => {
    const yaml = `project: shop\nhosts: ["ssh://root@h.example"]\nssh: { connect_timeout: 2s, keepalive: 500ms }\nstages: { p: { branch: main } }\n`;
    const { calls, logins } = await started(yaml);
    expect(calls[0]!.opts).toMatchObject({
      privateKey: "KEY",
      knownHosts: "PINS",
      connectTimeoutMs: 2000,
      keepaliveMs: 500,
    });
    const secrets = logins.get("ssh://root@h.example")!.secrets;
    expect(
      sameSecrets(secrets, { sshKey: "KEY", knownHosts: "PINS", connectTimeoutMs: 2000, keepaliveMs: 500 }),
    ).toBe(true);
    // A validated config that asks for other bounds does not take this login.
    expect(
      sameSecrets(secrets, { sshKey: "KEY", knownHosts: "PINS", connectTimeoutMs: 10_000, keepaliveMs: 500 }),
    ).toBe(false);
  });

  it("starts nothing for a file it cannot read plainly, or without a key or pins", async () => {
    const ok = `project: shop\nhosts: ["ssh://root@h.example"]\nstages: { p: { branch: main } }\n`;
    expect((await started(undefined)).calls).toEqual([]);
    expect((await started("hosts: [unclosed")).calls).toEqual([]);
    expect((await started(`${ok}ssh: { connect_timeout: soon }\n`)).calls).toEqual([]);
    expect(
      (await started(`project: shop\nhosts: "ssh://root@h.example"\nstages: { p: {} }\n`)).calls,
    ).toEqual([]);
    expect(
      (await started(ok, undefined, { HOME: "/nonexistent", TINYFORGE_KNOWN_HOSTS: "PINS" })).calls,
    ).toEqual([]);
    expect((await started(ok, undefined, { HOME: "/nonexistent", TINYFORGE_SSH_KEY: "KEY" })).calls).toEqual(
      [],
    );
  });

  it("starts nothing for bounds the validator refuses: over a day, or none at all", async () => {
    const ok = `project: shop\nhosts: ["ssh://root@h.example"]\nstages: { p: { branch: main } }\n`;
    expect((await started(`${ok}ssh: { connect_timeout: 999999h }\n`)).calls).toEqual([]);
    expect((await started(`${ok}ssh: { keepalive: 0s }\n`)).calls).toEqual([]);
  });

  it("reads a stage name only as the file's own key, never an inherited one", async () => {
    const yaml = `project: shop\nhosts: ["ssh://root@h.example"]\nstages: { a: {}, b: {} }\n`;
    expect((await started(yaml, "constructor")).calls).toEqual([]);
    expect((await started(yaml, "__proto__")).calls).toEqual([]);
  });

  it("skips an entry that is not a host URL and keeps the others", async () => {
    const yaml = `project: shop\nhosts: ["ftp://nope", 42, "ssh://root@h.example\\r\\nProxyCommand x", "ssh://root@h.example"]\nstages: { p: { branch: main } }\n`;
    expect([...(await started(yaml)).logins.keys()]).toEqual(["ssh://root@h.example"]);
  });

  it("dials each host first and logs in over that connection; dropping it cuts the connection", async () => {
    const yaml = `project: shop\nhosts: ["ssh://root@h.example:2200", "ssh://root@i.example"]\nstages: { p: {} }\n`;
    const { logins, calls, dialed } = await started(yaml);
    await Promise.all([...logins.values()].map((l) => l.begun));
    expect(dialed.map((d) => d.target)).toMatchObject([
      { host: "h.example", port: 2200 },
      { host: "i.example", port: 22 },
    ]);
    expect(calls.map((c) => (c.opts.sock as unknown as { dialed: string }).dialed)).toEqual([
      "h.example",
      "i.example",
    ]);
    // Taken by the login: dropping it afterwards is the login's business, not a cut of the socket.
    dropEarlyLogins(logins.values());
    expect(dialed.map((d) => d.destroyed)).toEqual([false, false]);
  });

  it("a connection dialed and dropped before the SSH client had it is closed at once", async () => {
    const server = createServer();
    const seen: NetSocket[] = [];
    server.on("connection", (c) => seen.push(c));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as AddressInfo).port;
      const yaml = `project: shop\nhosts: ["ssh://root@127.0.0.1:${port}"]\nstages: { p: {} }\n`;
      // An SSH client that never loads: the drop comes while only the TCP connection exists.
      const logins = loginEarly(yaml, undefined, env, { loadClient: () => new Promise(() => undefined) });
      await vi.waitFor(() => expect(seen).toHaveLength(1));
      const closed = new Promise((r) => seen[0]!.once("close", r));
      dropEarlyLogins(logins.values());
      await closed;
    } finally {
      server.close();
    }
  });

  it("dials nothing when it starts no login", async () => {
    expect((await started("hosts: [unclosed")).dialed).toEqual([]);
    expect((await started(`project: shop\nhosts: ["local"]\nstages: { p: {} }\n`)).dialed).toEqual([]);
  });
});

describe("the stage a branch names, for a head start without --stage", () => {
  const stages = {
    production: { branch: "main" },
    staging: { branch: "develop" },
    preview: { pull_requests: true },
    odd: null,
  };

  it("is the one stage whose branch it is", () => {
    expect(stageOfBranch(stages, "main")).toBe("production");
    expect(stageOfBranch(stages, "develop")).toBe("staging");
  });

  it("is none for an unknown branch, no branch, or a branch two stages share", () => {
    expect(stageOfBranch(stages, "feature")).toBeUndefined();
    expect(stageOfBranch(stages, undefined)).toBeUndefined();
    expect(stageOfBranch({ a: { branch: "main" }, b: { branch: "main" } }, "main")).toBeUndefined();
  });
});
