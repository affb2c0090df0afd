// One SSH connection per command, against an SSH server in the test process that records what
// the client asks: the login offers the key at once, the SFTP channel opens beside the first
// Docker call, and closing does not wait for the host to close its end.
import { afterEach, describe, expect, it } from "vitest";
import { connectHost, openHost } from "../../../src/adapters/open-host.js";
import { sshLogin } from "../../../src/adapters/ssh-login.js";
import { type FakeSshd, startFakeSshd } from "../../fakes/ssh-server.js";

let sshd: FakeSshd | undefined;
afterEach(async () => {
  await sshd?.close();
  sshd = undefined;
});

async function server() {
  sshd = await startFakeSshd();
  const secrets = { sshKey: sshd.clientKey, knownHosts: sshd.knownHosts };
  return { sshd, secrets, entry: `ssh://root@127.0.0.1:${sshd.port}` };
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<"timed out">((r) => setTimeout(() => r("timed out"), ms))]);

describe("the SSH connection", () => {
  it("logs in with the key at once, never asking for the 'none' method first", async () => {
    const { sshd, secrets } = await server();
    const ssh = await sshLogin(
      { user: "root", host: "127.0.0.1", port: sshd.port },
      { privateKey: secrets.sshKey, knownHosts: secrets.knownHosts },
    );
    ssh.dispose();
    expect(sshd.auths.map((a) => a.method)).toEqual(["publickey", "publickey"]);
    expect(sshd.auths.at(-1)?.signed).toBe(true);
  });

  it("opens the SFTP channel while the Docker engine answers its first call, not after", async () => {
    const { sshd, secrets, entry } = await server();
    let answer!: () => void;
    sshd.holdPing(new Promise((r) => (answer = r)));
    const opening = openHost(entry, secrets);
    // The ping is held until the SFTP channel has been asked for (or 2 s went by without it).
    const deadline = Date.now() + 2000;
    while (!sshd.seen.includes("sftp") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    answer();
    const host = await opening;
    await host.close();
    expect(sshd.seen.indexOf("sftp")).toBeGreaterThanOrEqual(0);
    expect(sshd.seen.indexOf("sftp")).toBeLessThan(sshd.seen.indexOf("ping answered"));
  });

  it("closes at once, without waiting for the host to close its end of the connection", async () => {
    const { sshd, secrets, entry } = await server();
    sshd.withholdEnd();
    const ssh = await sshLogin(
      { user: "root", host: "127.0.0.1", port: sshd.port },
      { privateKey: secrets.sshKey, knownHosts: secrets.knownHosts },
    );
    const conn = ssh.connection!;
    const closed = new Promise<"closed">((r) => conn.once("close", () => r("closed")));
    const host = await connectHost(entry, secrets, Promise.resolve(ssh));
    await host.files.list("/").catch(() => undefined);
    await host.close();
    // Nothing of it is left to hold a process open: the socket is closed, not half-closed.
    expect(await within(closed, 1000)).toBe("closed");
  });
});
