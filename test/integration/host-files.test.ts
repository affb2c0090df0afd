// A host's state files over SFTP against the real sshd: appends land whole and in call order (the
// event journal), a file replaced or removed between appends is appended to afresh, missing
// directories are made on first write, and a long-lived connection does not collect open files.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { openHost } from "../../src/adapters/open-host.js";
import type { Host } from "../../src/ports/host.js";
import { sshHost, tb } from "./harness.js";

const secrets = {
  sshKey: readFileSync(tb.sshKeyFile, "utf8"),
  knownHosts: readFileSync(tb.knownHostsFile, "utf8"),
};
const hosts: Host[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

async function host(): Promise<Host> {
  const h = await openHost(sshHost, secrets);
  hosts.push(h);
  return h;
}

const dir = () => `/tmp/tf-host-files-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** sshd's and sftp-server's processes on this machine (the testbed's sshd is local), by PID. */
const sshdProcesses = () =>
  new Set(
    execFileSync("bash", ["-c", "pgrep -x 'sshd|sftp-server' || true"], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean),
  );

describe("host files over SFTP", { timeout: 60_000 }, () => {
  it("keeps appends whole and in the order they were made, concurrent ones too", async () => {
    const h = await host();
    const file = `${dir()}/events/one.jsonl`;
    const lines = Array.from({ length: 40 }, (_, i) => `{"n":${i},"pad":"${"x".repeat(i * 37)}"}\n`);
    await h.files.append(file, lines[0]!);
    await Promise.all(lines.slice(1).map((l) => h.files.append(file, l)));
    expect(await h.files.read(file)).toBe(lines.join(""));
  });

  it("appends to a file that was replaced or removed since, instead of to the old one", async () => {
    const h = await host();
    const file = `${dir()}/log.jsonl`;
    await h.files.append(file, "a\n");
    await h.files.writeAtomic(file, "replaced\n");
    await h.files.append(file, "b\n");
    expect(await h.files.read(file)).toBe("replaced\nb\n");
    await h.files.remove(file);
    await h.files.append(file, "c\n");
    expect(await h.files.read(file)).toBe("c\n");
  });

  it("sees appends made by another connection in between", async () => {
    const [a, b] = [await host(), await host()];
    const file = `${dir()}/shared.jsonl`;
    await a.files.append(file, "1\n");
    await b.files.append(file, "2\n");
    await a.files.append(file, "3\n");
    expect(await b.files.read(file)).toBe("1\n2\n3\n");
  });

  it("makes missing directories on the first write of each kind", async () => {
    const h = await host();
    const root = dir();
    await h.files.writeAtomic(`${root}/a/b/record.json`, "{}");
    expect(await h.files.createExclusive(`${root}/c/d/lock`, "me")).toBe(true);
    expect(await h.files.createExclusive(`${root}/c/d/lock`, "you")).toBe(false);
    await h.files.append(`${root}/e/f/log`, "x\n");
    expect(await h.files.read(`${root}/a/b/record.json`)).toBe("{}");
    expect(await h.files.read(`${root}/c/d/lock`)).toBe("me");
    expect(await h.files.read(`${root}/e/f/log`)).toBe("x\n");
  });

  it("does not keep a file open per journal on a long-lived connection", async () => {
    const before = sshdProcesses();
    const h = await host();
    const root = dir();
    await h.files.append(`${root}/0.jsonl`, "x\n");
    // Integration files run one at a time: the new processes serve this connection (its session,
    // and sftp-server unless sshd serves SFTP itself).
    const ours = [...sshdProcesses()].filter((p) => !before.has(p));
    expect(ours.length).toBeGreaterThan(0);
    const fds = () => ours.reduce((n, p) => n + readdirSync(`/proc/${p}/fd`).length, 0);
    const base = fds();
    for (let i = 1; i < 60; i++) await h.files.append(`${root}/${i}.jsonl`, "x\n");
    expect(fds() - base).toBeLessThanOrEqual(8);
    for (let i = 0; i < 60; i++) expect(await h.files.read(`${root}/${i}.jsonl`)).toBe("x\n");
  });
});
