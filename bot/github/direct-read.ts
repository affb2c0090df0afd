// The two reads between a push and its pending status (the branch's head, tinyforge.yml at the
// SHA) go straight to the API with the installation token. Probot's Octokit queues every request
// through its throttling and retry plugins' Bottleneck schedulers, which yield to the event loop
// with a timer several times per request: 15-20 ms per GET on an idle bot (more on a busy one),
// against ~1 ms for the request itself. Only the happy path goes direct: any answer other than a
// success or a 404 (a rate limit, a 5xx, no answer) is undefined, and the caller asks again
// through Octokit, which waits out rate limits and retries as it always did. They go through
// safeFetch's kept-alive connections, the ones the pending status then takes: a push pays no TCP
// or TLS handshake on its way, and no metadata address is reached.
import { trimSlash } from "../../src/adapters/forge/repo.js";
import { DEFAULT_TIMEOUT_MS, safeFetch } from "../../src/net/fetch.js";

export type DirectAnswer<T> = { found: true; data: T } | { found: false };

/**
 * GET `path` (already URL-encoded, from /repos/…) on the GitHub API `api` with the installation
 * token: the JSON body, not found (404), or undefined for anything else.
 */
export async function directGet<T>(
  api: string,
  token: string,
  path: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<DirectAnswer<T> | undefined> {
  try {
    const res = await safeFetch(`${trimSlash(api)}${path}`, {
      headers: {
        authorization: `token ${token}`,
        accept: "application/vnd.github+json",
        "user-agent": "tinyforge-bot",
        "x-github-api-version": "2022-11-28",
      },
      timeoutMs,
    });
    if (res.status === 404) {
      await res.body?.cancel();
      return { found: false };
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      return undefined;
    }
    return { found: true, data: (await res.json()) as T };
  } catch {
    return undefined;
  }
}

/** `/repos/OWNER/NAME` with each part encoded. */
export function repoPath(owner: string, name: string): string {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

/** A file path in the repo, each segment encoded, the slashes kept (the contents API's form). */
export function filePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
