// `tinyforge init` against the testbed's sshd, then `doctor` on what it wrote: the host key is
// pinned only after its fingerprint was shown and confirmed; a declined or conflicting key is not.
import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Prompter } from "../../src/app/init/index.js";
import { main } from "../../src/cli/main.js";
import { sshHost, tb } from "./harness.js";

const root = join(import.meta.dirname, "..", "..");
/** What `ssh-keygen -lf` prints for the testbed's host key: what a person compares. */
const fingerprint = execFileSync("ssh-keygen", [
  "-lf",
  join(dirname(tb.knownHostsFile), "ssh_host_ed25519_key.pub"),
])
  .toString()
  .split(" ")[1]!;

function helloApp(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "tf-init-")), "hello");
  cpSync(join(root, "examples/hello"), dir, { recursive: true });
  rmSync(join(dir, "tinyforge.yml"));
  return dir;
}

async function cli(args: string[], env: Record<string, string>, prompter?: Prompter) {
  let out = "";
  let err = "";
  const code = await main(args, {
    io: { out: (t) => (out += t), err: (t) => (err += t) },
    env: { PATH: process.env.PATH ?? "", ...env },
    isTTY: true,
    ...(prompter ? { prompter } : {}),
  });
  return { code, out, err };
}

/** A person who answers every question with its default and `answer` to the fingerprint. */
function person(answer: boolean): Prompter & { shown: string[] } {
  const shown: string[] = [];
  return {
    shown,
    ask: async () => "",
    confirm: async (q) => {
      shown.push(q);
      return answer;
    },
  };
}

describe("tinyforge init with a real host", () => {
  it("pins the host key once its fingerprint is confirmed, and doctor then passes", async () => {
    const dir = helloApp();
    const home = mkdtempSync(join(tmpdir(), "tf-home-"));
    const you = person(true);
    const r = await cli(["init", dir, "--host", sshHost], { HOME: home }, you);
    expect(r.code, r.err).toBe(0);
    expect(you.shown).toHaveLength(1);
    expect(you.shown[0]).toContain(`presents host key ssh-ed25519 ${fingerprint}`);
    const pins = readFileSync(join(home, ".ssh/known_hosts"), "utf8");
    expect(pins).toBe(
      `[${tb.sshHost}]:${tb.sshPort} ${readFileSync(tb.knownHostsFile, "utf8").split(" ").slice(1).join(" ").trim()}\n`,
    );
    expect(r.out).toContain(`pinned ssh-ed25519 ${fingerprint} in ${join(home, ".ssh/known_hosts")}`);
    expect(r.out).toContain("repository secret DEPLOY_KNOWN_HOSTS: [127.0.0.1]");

    // doctor reads ~/.ssh/known_hosts as ssh would: init's pin is all it needs.
    appendFileSync(join(dir, "tinyforge.yml"), `state_dir: ${mkdtempSync(join(tmpdir(), "tf-state-"))}\n`);
    const d = await cli(["-c", join(dir, "tinyforge.yml"), "doctor"], {
      HOME: home,
      TINYFORGE_SSH_KEY_FILE: tb.sshKeyFile,
    });
    expect(d.out).toMatch(/ok +host key +pinned/);
    expect(d.code, d.out).toBe(0);
  }, 120_000);

  it("does not pin a key the person declines, and doctor reports it unpinned", async () => {
    const dir = helloApp();
    const home = mkdtempSync(join(tmpdir(), "tf-home-"));
    const r = await cli(["init", dir, "--host", sshHost], { HOME: home }, person(false));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`NOT pinned (declined): the host presents ssh-ed25519 ${fingerprint}`);
    expect(existsSync(join(home, ".ssh/known_hosts"))).toBe(false);
    const d = await cli(["-c", join(dir, "tinyforge.yml"), "doctor"], {
      HOME: home,
      TINYFORGE_SSH_KEY_FILE: tb.sshKeyFile,
    });
    expect(d.code).toBe(1);
    expect(d.out).toMatch(/PROBLEM +host key +not pinned/);
  }, 120_000);

  it("with --yes trusts no key: it shows the fingerprint and the line to pin", async () => {
    const dir = helloApp();
    const home = mkdtempSync(join(tmpdir(), "tf-home-"));
    const r = await cli(["init", dir, "--yes", "--host", sshHost], { HOME: home });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`NOT pinned (no terminal): the host presents ssh-ed25519 ${fingerprint}`);
    expect(existsSync(join(home, ".ssh/known_hosts"))).toBe(false);
  }, 60_000);

  it("takes a --known-hosts file that already pins the key without asking", async () => {
    const dir = helloApp();
    const you = person(false);
    const r = await cli(
      ["init", dir, "--host", sshHost, "--known-hosts", tb.knownHostsFile],
      { HOME: "/nonexistent" },
      you,
    );
    expect(r.code).toBe(0);
    expect(you.shown).toEqual([]);
    expect(r.out).toContain(`already pinned in ${tb.knownHostsFile}`);
    expect(r.out).toContain(`TINYFORGE_KNOWN_HOSTS_FILE=${tb.knownHostsFile}`);
  }, 60_000);

  it("stops before writing anything when --known-hosts pins another key for the host", async () => {
    const dir = helloApp();
    const other = join(mkdtempSync(join(tmpdir(), "tf-kh-")), "known_hosts");
    writeFileSync(
      other,
      `[${tb.sshHost}]:${tb.sshPort} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhR3pI7mK0oE4sC2y9oQzqgZ0j1m2dJb7yI6x6Yl7kF\n`,
    );
    const r = await cli(
      ["init", dir, "--host", sshHost, "--known-hosts", other],
      { HOME: "/nonexistent" },
      person(true),
    );
    expect(r.code).toBe(4);
    expect(r.err).toContain(
      `pins another key for ${tb.sshHost}:${tb.sshPort}; the host presents ssh-ed25519 ${fingerprint}`,
    );
    expect(existsSync(join(dir, "tinyforge.yml"))).toBe(false);
    expect(existsSync(join(dir, ".github"))).toBe(false);
  }, 60_000);
});
