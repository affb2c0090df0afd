// An invalid tinyforge.yml, as the bot reports it: one line per problem with its key path
// ("workloads.web.port: expected a number"), and a failed commit status that leads with the first.
import { capRunes } from "../../src/events/redact.js";
import type { TinyforgeError } from "../../src/errors.js";
import type { CommitStatus } from "../../src/ports/forge.js";
import { DEFAULT_CONTEXT } from "../../src/report/commit-status.js";

/**
 * The problems, each with its key path. The runner validates a copy in a temp dir, so a message
 * that names the file (YAML syntax errors) would show that path: it is cut back to the file name.
 */
export function configProblems(e: TinyforgeError): string[] {
  const clean = (s: string) => s.replace(/\/\S*?tinyforge-bot-[^/\s]+\//g, "");
  if (e.details.length === 0) return [clean(e.message)];
  // A YAML error's details are an excerpt with a caret under the column: keep it with its message.
  if (/invalid YAML/.test(e.message)) return [clean(e.message), ...e.details];
  return e.details.map(clean);
}

/** Sent under the default context: the config that would name another one did not load. */
export function invalidConfigStatus(
  sha: string,
  configPath: string,
  lines: string[],
  limit: number,
): CommitStatus {
  const first = (lines[0] ?? "invalid").replace(new RegExp(`^${escape(configPath)}:\\s*`), "");
  // The count goes first: the description is cut at the forge's limit, from the end.
  const count = lines.length > 1 ? ` (${lines.length} errors)` : "";
  return {
    sha,
    state: "failure",
    context: DEFAULT_CONTEXT,
    description: capRunes(`Invalid ${configPath}${count}: ${first}`, limit),
  };
}

/** A deploy refused before it started (the repository's tree was too large, or escaped). */
export function refusedStatus(sha: string, reason: string, limit: number): CommitStatus {
  return {
    sha,
    state: "failure",
    context: DEFAULT_CONTEXT,
    description: capRunes(`Not deployed: ${reason}`, limit),
  };
}

/** Keys of the repo's config the operator sets, under a context of its own so deploys keep theirs. */
export function ignoredStatus(sha: string, note: string, limit: number): CommitStatus {
  return { sha, state: "success", context: `${DEFAULT_CONTEXT}/config`, description: capRunes(note, limit) };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
