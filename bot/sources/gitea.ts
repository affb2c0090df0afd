// RepoSource for a Gitea repository with the bot's GITEA_TOKEN: refs through the branches API,
// tinyforge.yml through the raw endpoint, the tree from the archive endpoint.
import type { ForgeCredentials } from "../../src/app/credentials.js";
import { type GiteaClient, giteaCredentials, repoPath } from "../gitea/client.js";
import type { RepoSource } from "../runner.js";
import { type CheckoutLimits, fetchTarball } from "./tarball.js";

const FULL_SHA = /^[0-9a-f]{40}$/i;

export class GiteaSource implements RepoSource {
  constructor(private readonly client: GiteaClient) {}

  async forgeCredentials(repo: string): Promise<ForgeCredentials> {
    return giteaCredentials(this.client, repo);
  }

  /** A SHA for a branch or SHA; "HEAD" is the default branch's head. */
  async resolveRef(repo: string, ref: string): Promise<string> {
    if (FULL_SHA.test(ref)) return ref.toLowerCase();
    const base = repoPath(repo);
    const branch =
      ref === "HEAD" ? (await this.client.json<{ default_branch: string }>("GET", base)).default_branch : ref;
    const b = await this.client.json<{ commit?: { id?: string } }>(
      "GET",
      `${base}/branches/${encodeURIComponent(branch)}`,
    );
    if (!b.commit?.id) throw new Error(`Gitea: branch ${branch} has no commit`);
    return b.commit.id;
  }

  async readFile(repo: string, path: string, sha: string): Promise<string | undefined> {
    const file = path.split("/").map(encodeURIComponent).join("/");
    const r = await this.client.call(
      "GET",
      `${repoPath(repo)}/raw/${file}?ref=${encodeURIComponent(sha)}`,
      undefined,
      [404],
    );
    return r.status === 404 ? undefined : r.text;
  }

  async fetchTree(repo: string, sha: string, dir: string, limits?: CheckoutLimits): Promise<void> {
    await fetchTarball(
      `${this.client.api}${repoPath(repo)}/archive/${sha}.tar.gz`,
      { authorization: `token ${this.client.token}` },
      dir,
      { what: "Gitea archive", ...(limits ? { limits } : {}) },
    );
  }
}
