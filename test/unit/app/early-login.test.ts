// The CLI's head start on SSH: which hosts it begins logging into from the raw config file, with
// which settings, and when it starts nothing (the command then connects as it always did).
import type { Socket } from "node:net";
import type { NodeSSH } from "node-ssh";
import { describe, expect, it } from "vitest";
import { dropEarlyLogins, loginEarly, sameSecrets } from "../../../src/app/early-login.js";
import type { SshLoginOptions, SshTarget } from "../../../src/adapters/ssh-login.js";

const env = { TINYFORGE_SSH_KEY: "KEY", TINYFORGE_KNOWN_HOSTS: "PINS", HOME: "/nonexistent" };

function started(yaml: string | undefined, stage?: string, environment: Record<string, string> = env) {
  const calls: { target: SshTarget; opts: SshLoginOptions }[] = [];
  const dialed: { target: { host: string; port: number }; signal: AbortSignal }[] = [];
  const logins = loginEarly(yaml, stage, environment, {
    login: async (target, opts) => {
      calls.push({ target, opts });
      return { dispose: () => undefined } as unknown as NodeSSH;
    },
    dial: (target, signal) => {
      dialed.push({ target, signal });
      return { dialed: target.host } as unknown as Socket;
    },
  });
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
  it("starts on the named stage's own hosts, or else the top-level ones, and skips local", () => {
    expect([...started(two, "production").logins.keys()]).toEqual([
      "ssh://deploy@b.example:2222",
      "ssh://deploy@c.example",
    ]);
    const staging = started(two, "staging");
    expect([...staging.logins.keys()]).toEqual(["ssh://deploy@a.example:22"]);
    expect(staging.calls[0]!.target).toEqual({ kind: "ssh", user: "deploy", host: "a.example", port: 22 });
  });

  it("takes the only stage when none is named, and starts nothing when several could be meant", () => {
    const one = `project: shop\nhosts: ["ssh://root@h.example"]\nstages: { production: { branch: main } }\n`;
    expect([...started(one).logins.keys()]).toEqual(["ssh://root@h.example"]);
    expect(started(two).calls).toEqual([]);
    expect(started(two, "no-such-stage").calls).toEqual([]);
  });

  it("uses the file's SSH bounds and the environment's key and pins", () => {
    const yaml = `project: shop\nhosts: ["ssh://root@h.example"]\nssh: { connect_timeout: 2s, keepalive: 500ms }\nstages: { p: { branch: main } }\n`;
    const { calls, logins } = started(yaml);
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

  it("starts nothing for a file it cannot read plainly, or without a key or pins", () => {
    const ok = `project: shop\nhosts: ["ssh://root@h.example"]\nstages: { p: { branch: main } }\n`;
    expect(started(undefined).calls).toEqual([]);
    expect(started("hosts: [unclosed").calls).toEqual([]);
    expect(started(`${ok}ssh: { connect_timeout: soon }\n`).calls).toEqual([]);
    expect(started(`project: shop\nhosts: "ssh://root@h.example"\nstages: { p: {} }\n`).calls).toEqual([]);
    expect(started(ok, undefined, { HOME: "/nonexistent", TINYFORGE_KNOWN_HOSTS: "PINS" }).calls).toEqual([]);
    expect(started(ok, undefined, { HOME: "/nonexistent", TINYFORGE_SSH_KEY: "KEY" }).calls).toEqual([]);
  });

  it("starts nothing for bounds the validator refuses: over a day, or none at all", () => {
    const ok = `project: shop\nhosts: ["ssh://root@h.example"]\nstages: { p: { branch: main } }\n`;
    expect(started(`${ok}ssh: { connect_timeout: 999999h }\n`).calls).toEqual([]);
    expect(started(`${ok}ssh: { keepalive: 0s }\n`).calls).toEqual([]);
  });

  it("reads a stage name only as the file's own key, never an inherited one", () => {
    const yaml = `project: shop\nhosts: ["ssh://root@h.example"]\nstages: { a: {}, b: {} }\n`;
    expect(started(yaml, "constructor").calls).toEqual([]);
    expect(started(yaml, "__proto__").calls).toEqual([]);
  });

  it("skips an entry that is not a host URL and keeps the others", () => {
    const yaml = `project: shop\nhosts: ["ftp://nope", 42, "ssh://root@h.example\\r\\nProxyCommand x", "ssh://root@h.example"]\nstages: { p: { branch: main } }\n`;
    expect([...started(yaml).logins.keys()]).toEqual(["ssh://root@h.example"]);
  });

  it("dials each host first and logs in over that connection; dropping it cuts the connection", async () => {
    const yaml = `project: shop\nhosts: ["ssh://root@h.example:2200", "ssh://root@i.example"]\nstages: { p: {} }\n`;
    const { logins, calls, dialed } = started(yaml);
    await Promise.all([...logins.values()].map((l) => l.begun));
    expect(dialed.map((d) => d.target)).toMatchObject([
      { host: "h.example", port: 2200 },
      { host: "i.example", port: 22 },
    ]);
    expect(calls.map((c) => c.opts.sock)).toEqual([{ dialed: "h.example" }, { dialed: "i.example" }]);
    dropEarlyLogins(logins.values());
    expect(dialed.every((d) => d.signal.aborted)).toBe(true);
  });

  it("dials nothing when it starts no login", () => {
    expect(started("hosts: [unclosed").dialed).toEqual([]);
    expect(started(`project: shop\nhosts: ["local"]\nstages: { p: {} }\n`).dialed).toEqual([]);
  });
});
