// The GitHub status client: one per token, reused by every deploy that reports with it (the bot's
// installation token serves an hour of deploys), never by a deploy holding another token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitHubForge, githubClient } from "../../../../src/adapters/forge/github.js";
import type { CommitStatus } from "../../../../src/ports/forge.js";
import { FakeGitHub } from "../../../fakes/github-server.js";

const TOKEN = "ghs_Zq8sX2vB7nM4kL1pW9rT";
const SHA = "0123456789abcdef0123456789abcdef01234567";
const status: CommitStatus = { sha: SHA, state: "pending", context: "tinyforge", description: "Deploying" };

const github = new FakeGitHub(TOKEN, "octo/shop");
beforeAll(() => github.start());
afterAll(() => github.stop());

describe("GitHub status client", () => {
  it("deploys reporting with the same token share one client", async () => {
    const a = githubClient(github.url, TOKEN, 1000);
    expect(githubClient(`${github.url}/`, TOKEN, 1000)).toBe(a);
    // Two deploys' reporters, one client: both statuses arrive.
    const n = github.requests.length;
    await new GitHubForge(github.url, "octo/shop", TOKEN, 1000).setStatus(status);
    await new GitHubForge(github.url, "octo/shop", TOKEN, 1000).setStatus({ ...status, state: "success" });
    expect(github.requests.slice(n).map((r) => r.body.state)).toEqual(["pending", "success"]);
    expect(githubClient(github.url, TOKEN, 1000)).toBe(a);
  });

  it("a new token gets its own client: its statuses carry it, not the one cached before", async () => {
    await new GitHubForge(github.url, "octo/shop", TOKEN, 1000).setStatus(status);
    const expired = new GitHubForge(github.url, "octo/shop", "ghs_expired", 1000);
    await expect(expired.setStatus(status)).rejects.toThrow("GitHub answered HTTP 401");
    expect(github.requests.at(-1)!.headers.authorization).toBe("token ghs_expired");
    await new GitHubForge(github.url, "octo/shop", TOKEN, 1000).setStatus(status);
    expect(github.requests.at(-1)!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(githubClient(github.url, "ghs_expired", 1000)).not.toBe(githubClient(github.url, TOKEN, 1000));
  });

  it("another timeout or API is another client", () => {
    const a = githubClient(github.url, TOKEN, 1000);
    expect(githubClient(github.url, TOKEN, 2000)).not.toBe(a);
    expect(githubClient("http://127.0.0.1:9", TOKEN, 1000)).not.toBe(a);
  });

  it("keeps the 16 most recently used; an older token's client (and the token) is let go", () => {
    const api = "http://127.0.0.1:8";
    const first = githubClient(api, "ghs_0", 1000);
    const second = githubClient(api, "ghs_1", 1000);
    for (let i = 2; i < 16; i++) githubClient(api, `ghs_${i}`, 1000);
    expect(githubClient(api, "ghs_0", 1000)).toBe(first); // used again: now the most recent
    githubClient(api, "ghs_16", 1000);
    githubClient(api, "ghs_17", 1000);
    // ghs_1 was the least recently used: rebuilt when asked for again; ghs_0 was kept.
    expect(githubClient(api, "ghs_1", 1000)).not.toBe(second);
    expect(githubClient(api, "ghs_0", 1000)).toBe(first);
  });
});
