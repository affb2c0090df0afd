// The checkout's SHA and branch, through git's argv (never a shell), with the ref validated first.
import { execFile } from "node:child_process";
import { TinyforgeError } from "../errors.js";
import { validateRef, validateSha } from "../plan/names.js";

function git(dir: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", ["-C", dir, ...args], (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

export async function resolveSha(dir: string, opts: { sha?: string; ref?: string }): Promise<string> {
  if (opts.sha) {
    validateSha(opts.sha);
    return opts.sha.toLowerCase();
  }
  const ref = opts.ref ?? "HEAD";
  if (opts.ref) validateRef(opts.ref);
  // `--end-of-options` keeps even a validated ref from ever being read as a git option.
  const sha = await git(dir, ["rev-parse", "--verify", "--end-of-options", `${ref}^{commit}`]);
  if (!sha) {
    throw new TinyforgeError(
      "usage",
      opts.ref ? `cannot resolve --ref ${opts.ref} in ${dir}` : `${dir} is not a git checkout`,
      {
        hint: "pass --sha SHA, or run from the app's checkout",
      },
    );
  }
  return sha;
}

export async function currentBranch(dir: string): Promise<string | undefined> {
  const b = await git(dir, ["rev-parse", "--abbrev-ref", "HEAD"]);
  return b && b !== "HEAD" ? b : undefined;
}
