// Which commit `--sha` names, with the real git: resolved in a checkout, taken as given outside
// one, refused when a checkout lacks it — each answered by one git process, not two.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveCommit } from "../../../src/adapters/git.js";

const bin = mkdtempSync(join(tmpdir(), "tf-git-bin-"));
const calls = join(bin, "calls");
const realGit = execFileSync("bash", ["-c", "command -v git"], { encoding: "utf8" }).trim();
const path = process.env.PATH;

// A `git` first on PATH that counts its runs, then runs the real one.
beforeAll(() => {
  writeFileSync(join(bin, "git"), `#!/bin/sh\necho x >> "${calls}"\nexec "${realGit}" "$@"\n`);
  chmodSync(join(bin, "git"), 0o755);
  process.env.PATH = `${bin}:${path}`;
});
afterAll(() => {
  process.env.PATH = path;
});

const runs = () => {
  try {
    return readFileSync(calls, "utf8").split("\n").filter(Boolean).length;
  } catch {
    return 0;
  }
};

async function counted<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: Error; gits: number }> {
  const before = runs();
  try {
    return { value: await fn(), gits: runs() - before };
  } catch (e) {
    return { error: e as Error, gits: runs() - before };
  }
}

function checkout(): { dir: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), "tf-git-"));
  const g = (...args: string[]) =>
    execFileSync(realGit, ["-C", dir, ...args], {
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@t",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@t",
      },
    }).trim();
  g("init", "-q");
  writeFileSync(join(dir, "a"), "a");
  g("add", "a");
  g("commit", "-qm", "a");
  return { dir, head: g("rev-parse", "HEAD") };
}

describe("resolving --sha", () => {
  it("outside a checkout, takes a short SHA as given without starting git", async () => {
    const outside = mkdtempSync(join(tmpdir(), "tf-nogit-"));
    const r = await counted(() => resolveCommit(outside, { sha: "a000003", ref: "v1" }));
    expect(r.value).toBe("a000003");
    expect(r.gits).toBe(0);
  });

  it("outside a checkout but with GIT_DIR set, asks git where the checkout is", async () => {
    const { dir, head } = checkout();
    const outside = mkdtempSync(join(tmpdir(), "tf-nogit-"));
    process.env.GIT_DIR = join(dir, ".git");
    try {
      const r = await counted(() => resolveCommit(outside, { sha: head.slice(0, 7) }));
      expect(r.gits).toBe(1);
      expect(r.value).toBe(head);
    } finally {
      delete process.env.GIT_DIR;
    }
  });

  it("in a directory below a checkout, resolves a short SHA there", async () => {
    const { dir, head } = checkout();
    const below = join(dir, "deploy", "config");
    mkdirSync(below, { recursive: true });
    const r = await counted(() => resolveCommit(below, { sha: head.slice(0, 7) }));
    expect(r.value).toBe(head);
    expect(r.gits).toBe(1);
  });

  it("in a checkout, resolves a short SHA to the full one, asking git once", async () => {
    const { dir, head } = checkout();
    const r = await counted(() => resolveCommit(dir, { sha: head.slice(0, 7) }));
    expect(r.value).toBe(head);
    expect(r.gits).toBe(1);
  });

  it("in a checkout that lacks it, refuses a short SHA, asking git once", async () => {
    const { dir } = checkout();
    const r = await counted(() => resolveCommit(dir, { sha: "abcdef1" }));
    expect(r.error?.message).toContain("--sha abcdef1: no such commit");
    expect(r.gits).toBe(1);
  });

  it("in a checkout that lacks it, takes a full SHA as given (a commit CI built elsewhere)", async () => {
    const { dir } = checkout();
    const sha = "b".repeat(40);
    expect((await counted(() => resolveCommit(dir, { sha }))).value).toBe(sha);
  });

  it("inside a repository's .git directory (no work tree), takes a short SHA as given", async () => {
    const { dir } = checkout();
    expect((await counted(() => resolveCommit(join(dir, ".git"), { sha: "abcdef1" }))).value).toBe("abcdef1");
  });
});
