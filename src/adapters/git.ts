// The app's checkout, through git's argv (never a shell): which commit a SHA or ref names, what
// differs from it, and a commit's files exported to a directory (`git archive`), so a deploy
// builds exactly the commit it records.
import { execFile, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { TinyforgeError } from "../errors.js";
import { validateRef, validateSha } from "../plan/names.js";

interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

function git(dir: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile("git", ["-C", dir, ...args], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ ok: !err, stdout: stdout.toString(), stderr: stderr.toString() }),
    );
  });
}

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The full SHA of `--sha` (a prefix is resolved in the checkout, an ambiguous one refused) or of
 * `--ref` / HEAD. A full SHA the checkout lacks (or any SHA outside a checkout) is taken as given:
 * an `image` workload may deploy a commit CI built elsewhere; a source that builds from the commit
 * fails later, saying so.
 */
export async function resolveCommit(dir: string, opts: { sha?: string; ref?: string }): Promise<string> {
  if (opts.sha) {
    const sha = validateSha(opts.sha);
    // git's answer outside a checkout is known without it: starting git costs the command tens of
    // ms of its only thread (the spawn blocks until git has exec'd).
    if (noCheckoutAbove(dir)) return sha;
    // One git for both questions (whether dir is a checkout, what the SHA names there): its first
    // line says "true" inside a work tree, before the commit's line or the refusal.
    // `--end-of-options` keeps even a validated value from ever being read as a git option.
    const r = await git(dir, [
      "rev-parse",
      "--is-inside-work-tree",
      "--verify",
      "--end-of-options",
      `${sha}^{commit}`,
    ]);
    const [where, resolved] = r.stdout.trim().split("\n");
    if (r.ok && resolved) return resolved;
    if (/ambiguous/i.test(r.stderr)) {
      throw new TinyforgeError(
        "usage",
        `--sha ${sha} is ambiguous in ${dir}: several commits start with it`,
        {
          hint: "give more digits, or the full 40-character SHA",
        },
      );
    }
    // Outside a checkout there is nothing to resolve against: the SHA is recorded as given.
    if (FULL_SHA.test(sha) || where !== "true") return sha;
    throw new TinyforgeError("usage", `--sha ${sha}: no such commit in ${dir}`, {
      hint: "give the full 40-character SHA, or fetch the commit into the checkout first",
    });
  }
  const ref = opts.ref ?? "HEAD";
  if (opts.ref) validateRef(opts.ref);
  const r = await git(dir, ["rev-parse", "--verify", "--end-of-options", `${ref}^{commit}`]);
  if (!r.ok) {
    throw new TinyforgeError(
      "usage",
      opts.ref ? `cannot resolve --ref ${opts.ref} in ${dir}` : `${dir} is not a git checkout`,
      { hint: "pass --sha SHA, or run from the app's checkout" },
    );
  }
  return r.stdout.trim();
}

/**
 * Whether git would find no repository from dir: no `.git` (a directory, or a worktree's file) in
 * dir or above, and no GIT_DIR/GIT_WORK_TREE to point it elsewhere. Only ever a shortcut: where
 * this finds one, git is asked (it may still find none, e.g. past GIT_CEILING_DIRECTORIES).
 */
function noCheckoutAbove(dir: string): boolean {
  if (process.env.GIT_DIR !== undefined || process.env.GIT_WORK_TREE !== undefined) return false;
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return false;
    if (dirname(d) === d) return true;
  }
}

const BRANCH = ["rev-parse", "--abbrev-ref", "HEAD"];

/** git's answer to BRANCH as a branch name: none on a detached HEAD ("HEAD"). */
function branchName(stdout: string): string | undefined {
  const b = stdout.trim();
  return b && b !== "HEAD" ? b : undefined;
}

export async function currentBranch(dir: string): Promise<string | undefined> {
  const r = await git(dir, BRANCH);
  return r.ok ? branchName(r.stdout) : undefined;
}

/**
 * currentBranch, answered before anything else runs: the CLI's head start (early-login.ts) needs
 * it to pick the stage before it dials. Undefined outside a checkout or on a detached HEAD.
 */
export function currentBranchNow(dir: string): string | undefined {
  try {
    return branchName(
      execFileSync("git", ["-C", dir, ...BRANCH], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 5000,
      }),
    );
  } catch {
    return undefined;
  }
}

/** The branch the remote calls its default (origin/HEAD), else the checked-out one. */
export async function defaultBranch(dir: string): Promise<string | undefined> {
  const r = await git(dir, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]);
  const remote = r.ok ? r.stdout.trim().replace(/^origin\//, "") : "";
  if (remote) return remote;
  // symbolic-ref, not rev-parse: a new repository has a branch before it has a commit.
  const head = await git(dir, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  return head.ok && head.stdout.trim() ? head.stdout.trim() : undefined;
}

/** The checkout's HEAD commit, or undefined outside a checkout. */
export async function headCommit(dir: string): Promise<string | undefined> {
  const r = await git(dir, ["rev-parse", "--verify", "HEAD^{commit}"]);
  return r.ok ? r.stdout.trim() : undefined;
}

/**
 * Files under `paths` (relative to dir) that differ from HEAD: modified, staged, deleted, or new
 * and not ignored. Paths come back relative to dir.
 */
export async function changedFiles(dir: string, paths: string[]): Promise<string[]> {
  const prefix = await prefixOf(dir);
  // Pathspecs are relative to dir (git -C); porcelain paths come back relative to the top.
  const r = await git(dir, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ...paths]);
  if (!r.ok) return [];
  const out: string[] = [];
  const fields = r.stdout.split("\0").filter(Boolean);
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i]!;
    // A rename's entry is followed by its source path: skip that one.
    if (entry[0] === "R" || entry[0] === "C") i++;
    const path = entry.slice(3);
    out.push(path.startsWith(prefix) ? path.slice(prefix.length) : path);
  }
  return [...new Set(out)].sort();
}

/** Where dir sits inside its repository ("" at the top, else "sub/dir/"). */
async function prefixOf(dir: string): Promise<string> {
  return (await git(dir, ["rev-parse", "--show-prefix"])).stdout.trim();
}

export interface ExportedTree {
  /** The directory that corresponds to `dir` inside the exported commit. */
  dir: string;
  dispose(): Promise<void>;
}

/** The commit's files (as `git archive` gives them) in a temporary directory. */
export async function exportCommit(dir: string, sha: string): Promise<ExportedTree> {
  const root = await mkdtemp(join(tmpdir(), "tinyforge-tree-"));
  const dispose = () => rm(root, { recursive: true, force: true });
  try {
    const top = (await git(dir, ["rev-parse", "--show-toplevel"])).stdout.trim();
    if (!top) throw new Error("not a git checkout");
    // tar-fs loads here, with the first export (a deploy of an image never parses it), and before
    // git starts: a failed import must not leave git blocked on a pipe nobody reads.
    const { default: tar } = await import("tar-fs");
    const child = spawn("git", ["-C", top, "archive", "--format=tar", "--end-of-options", sha], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await pipeline(child.stdout, tar.extract(root));
    const code = await exited;
    if (code !== 0) throw new Error(stderr.trim().split("\n")[0] || `git archive exited ${code}`);
    return { dir: join(root, await prefixOf(dir)), dispose };
  } catch (e) {
    await dispose();
    throw new TinyforgeError(
      "usage",
      `cannot read commit ${sha.slice(0, 12)} from ${dir}: ${(e as Error).message}`,
      {
        hint: "deploy a commit the checkout has (git fetch it first)",
      },
    );
  }
}
