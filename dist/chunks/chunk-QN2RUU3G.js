import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  validateRef,
  validateSha
} from "./chunk-VZPQQM3L.js";
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";

// src/adapters/git.ts
import { execFile, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
function git(dir, args) {
  return new Promise((resolve2) => {
    execFile(
      "git",
      ["-C", dir, ...args],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => resolve2({ ok: !err, stdout: stdout.toString(), stderr: stderr.toString() })
    );
  });
}
var FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
async function resolveCommit(dir, opts) {
  if (opts.sha) {
    const sha = validateSha(opts.sha);
    if (noCheckoutAbove(dir)) return sha;
    const r2 = await git(dir, [
      "rev-parse",
      "--is-inside-work-tree",
      "--verify",
      "--end-of-options",
      `${sha}^{commit}`
    ]);
    const [where, resolved] = r2.stdout.trim().split("\n");
    if (r2.ok && resolved) return resolved;
    if (/ambiguous/i.test(r2.stderr)) {
      throw new TinyforgeError(
        "usage",
        `--sha ${sha} is ambiguous in ${dir}: several commits start with it`,
        {
          hint: "give more digits, or the full 40-character SHA"
        }
      );
    }
    if (FULL_SHA.test(sha) || where !== "true") return sha;
    throw new TinyforgeError("usage", `--sha ${sha}: no such commit in ${dir}`, {
      hint: "give the full 40-character SHA, or fetch the commit into the checkout first"
    });
  }
  const ref = opts.ref ?? "HEAD";
  if (opts.ref) validateRef(opts.ref);
  const r = await git(dir, ["rev-parse", "--verify", "--end-of-options", `${ref}^{commit}`]);
  if (!r.ok) {
    throw new TinyforgeError(
      "usage",
      opts.ref ? `cannot resolve --ref ${opts.ref} in ${dir}` : `${dir} is not a git checkout`,
      { hint: "pass --sha SHA, or run from the app's checkout" }
    );
  }
  return r.stdout.trim();
}
function noCheckoutAbove(dir) {
  if (process.env.GIT_DIR !== void 0 || process.env.GIT_WORK_TREE !== void 0) return false;
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return false;
    if (dirname(d) === d) return true;
  }
}
var BRANCH = ["rev-parse", "--abbrev-ref", "HEAD"];
function branchName(stdout) {
  const b = stdout.trim();
  return b && b !== "HEAD" ? b : void 0;
}
async function currentBranch(dir) {
  const r = await git(dir, BRANCH);
  return r.ok ? branchName(r.stdout) : void 0;
}
function currentBranchNow(dir) {
  try {
    return branchName(
      execFileSync("git", ["-C", dir, ...BRANCH], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 5e3
      })
    );
  } catch {
    return void 0;
  }
}
async function defaultBranch(dir) {
  const r = await git(dir, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]);
  const remote = r.ok ? r.stdout.trim().replace(/^origin\//, "") : "";
  if (remote) return remote;
  const head = await git(dir, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  return head.ok && head.stdout.trim() ? head.stdout.trim() : void 0;
}
async function headCommit(dir) {
  const r = await git(dir, ["rev-parse", "--verify", "HEAD^{commit}"]);
  return r.ok ? r.stdout.trim() : void 0;
}
async function changedFiles(dir, paths) {
  const prefix = await prefixOf(dir);
  const r = await git(dir, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ...paths]);
  if (!r.ok) return [];
  const out = [];
  const fields = r.stdout.split("\0").filter(Boolean);
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (entry[0] === "R" || entry[0] === "C") i++;
    const path = entry.slice(3);
    out.push(path.startsWith(prefix) ? path.slice(prefix.length) : path);
  }
  return [...new Set(out)].sort();
}
async function prefixOf(dir) {
  return (await git(dir, ["rev-parse", "--show-prefix"])).stdout.trim();
}
async function exportCommit(dir, sha) {
  const root = await mkdtemp(join(tmpdir(), "tinyforge-tree-"));
  const dispose = () => rm(root, { recursive: true, force: true });
  try {
    const top = (await git(dir, ["rev-parse", "--show-toplevel"])).stdout.trim();
    if (!top) throw new Error("not a git checkout");
    const { default: tar } = await import("./tar-fs-7XJC3TUV.js");
    const child = spawn("git", ["-C", top, "archive", "--format=tar", "--end-of-options", sha], {
      stdio: ["ignore", "pipe", "pipe"]
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise((resolve2) => child.on("close", resolve2));
    await pipeline(child.stdout, tar.extract(root));
    const code = await exited;
    if (code !== 0) throw new Error(stderr.trim().split("\n")[0] || `git archive exited ${code}`);
    return { dir: join(root, await prefixOf(dir)), dispose };
  } catch (e) {
    await dispose();
    throw new TinyforgeError(
      "usage",
      `cannot read commit ${sha.slice(0, 12)} from ${dir}: ${e.message}`,
      {
        hint: "deploy a commit the checkout has (git fetch it first)"
      }
    );
  }
}

export {
  resolveCommit,
  currentBranch,
  currentBranchNow,
  defaultBranch,
  headCommit,
  changedFiles,
  exportCommit
};
