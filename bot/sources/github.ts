// RepoSource for a repository a GitHub App is installed on: refs and tinyforge.yml through the
// installation's Octokit (contents API), the tree from the tarball endpoint.
import { splitRepo, trimSlash } from "../../src/adapters/forge/repo.js";
import type { ForgeCredentials } from "../../src/app/credentials.js";
import type { Installations } from "../github/installations.js";
import { githubCredentials } from "../github/repo-api.js";
import type { RepoSource } from "../runner.js";
import { directGet, filePath, repoPath } from "../github/direct-read.js";
import { type CheckoutLimits, fetchTarball } from "./tarball.js";

const FULL_SHA = /^[0-9a-f]{40}$/i;

export class GitHubSource implements RepoSource {
  constructor(
    private readonly installations: Installations,
    private readonly api: string,
  ) {}

  async forgeCredentials(repo: string): Promise<ForgeCredentials> {
    return githubCredentials(this.api, repo, await this.installations.token(repo));
  }

  /** A SHA for a branch, tag or SHA; "HEAD" is the default branch's head. */
  async resolveRef(repo: string, ref: string): Promise<string> {
    if (FULL_SHA.test(ref)) return ref.toLowerCase();
    const octokit = await this.installations.octokit(repo);
    const { owner, name } = splitRepo(repo);
    const target =
      ref === "HEAD" ? (await octokit.rest.repos.get({ owner, repo: name })).data.default_branch : ref;
    return (await octokit.rest.repos.getCommit({ owner, repo: name, ref: target })).data.sha;
  }

  async readFile(repo: string, path: string, sha: string): Promise<string | undefined> {
    const { owner, name } = splitRepo(repo);
    // Straight to the API first (direct-read.ts): this read is on the way to the pending status.
    const direct = await directGet<{ type?: string; content?: string } | unknown[]>(
      this.api,
      await this.installations.token(repo),
      `${repoPath(owner, name)}/contents/${filePath(path)}?ref=${encodeURIComponent(sha)}`,
    );
    if (direct) {
      const data = direct.found ? direct.data : undefined;
      if (!data || Array.isArray(data) || data.type !== "file" || typeof data.content !== "string")
        return undefined;
      return Buffer.from(data.content, "base64").toString("utf8");
    }
    const octokit = await this.installations.octokit(repo);
    try {
      const { data } = await octokit.rest.repos.getContent({ owner, repo: name, path, ref: sha });
      if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
      return Buffer.from(data.content, "base64").toString("utf8");
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw e;
    }
  }

  async fetchTree(repo: string, sha: string, dir: string, limits?: CheckoutLimits): Promise<void> {
    const token = await this.installations.token(repo);
    const { owner, name } = splitRepo(repo);
    const url = `${trimSlash(this.api)}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/tarball/${sha}`;
    await fetchTarball(
      url,
      {
        authorization: `token ${token}`,
        accept: "application/vnd.github+json",
        "user-agent": "tinyforge-bot",
      },
      dir,
      { what: "GitHub tarball", ...(limits ? { limits } : {}) },
    );
  }
}
