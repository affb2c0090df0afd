// RepoApi over Gitea's API with GITEA_TOKEN: pulls, collaborator permission, comments and
// reactions. Statuses go through the same GiteaForge adapter the deploy reporters use.
import { GiteaForge } from "../../src/adapters/forge/gitea.js";
import type { ForgeCredentials } from "../../src/app/credentials.js";
import type { ObservedCheck } from "../../src/app/previews.js";
import type { CommitStatus } from "../../src/ports/forge.js";
import {
  type CommentInfo,
  DEPLOY_ROLES,
  type PullInfo,
  type Reaction,
  type RepoApi,
} from "../forge/types.js";
import { type GiteaClient, giteaCredentials, repoPath } from "./client.js";

interface GiteaComment {
  id: number;
  body?: string;
  user?: { login?: string };
}

export class GiteaRepoApi implements RepoApi {
  readonly forge = "gitea";
  readonly descriptionLimit = 255;
  private readonly base: string;

  constructor(
    private readonly client: GiteaClient,
    readonly repo: string,
    private readonly botLogin: () => Promise<string>,
  ) {
    this.base = repoPath(repo);
  }

  async forgeCredentials(): Promise<ForgeCredentials> {
    return giteaCredentials(this.client, this.repo);
  }

  async setStatus(s: CommitStatus): Promise<void> {
    await new GiteaForge(this.client.api, this.repo, this.client.token, 5000).setStatus(s);
  }

  async branchHead(branch: string): Promise<string | undefined> {
    const r = await this.client.call(
      "GET",
      `${this.base}/branches/${encodeURIComponent(branch)}`,
      undefined,
      [404],
    );
    if (r.status === 404) return undefined;
    return (JSON.parse(r.text) as { commit?: { id?: string } }).commit?.id;
  }

  async pull(number: number): Promise<PullInfo> {
    const pr = await this.client.json<{
      state?: string;
      head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null };
    }>("GET", `${this.base}/pulls/${number}`);
    return {
      number,
      open: pr.state === "open",
      headSha: pr.head?.sha ?? "",
      headRef: pr.head?.ref ?? "",
      headRepo: pr.head?.repo?.full_name ?? null,
    };
  }

  async canDeploy(user: string): Promise<boolean> {
    // Gitea answers 403 (or 404) for someone who is not a collaborator.
    const r = await this.client.call(
      "GET",
      `${this.base}/collaborators/${encodeURIComponent(user)}/permission`,
      undefined,
      [403, 404],
    );
    if (r.status !== 200) return false;
    const p = JSON.parse(r.text) as { permission?: string; role_name?: string };
    return DEPLOY_ROLES.has(p.permission ?? "") || DEPLOY_ROLES.has(p.role_name ?? "");
  }

  async comments(issue: number): Promise<CommentInfo[]> {
    const login = await this.botLogin();
    const out: CommentInfo[] = [];
    // Paged like every Gitea list; a short page is the last one.
    for (let page = 1; page <= 50; page++) {
      const list = await this.client.json<GiteaComment[]>(
        "GET",
        `${this.base}/issues/${issue}/comments?page=${page}&limit=50`,
      );
      out.push(...list.map((c) => ({ id: c.id, body: c.body ?? "", mine: c.user?.login === login })));
      if (list.length < 50) break;
    }
    return out;
  }

  async createComment(issue: number, body: string): Promise<number> {
    return (await this.client.json<{ id: number }>("POST", `${this.base}/issues/${issue}/comments`, { body }))
      .id;
  }

  async updateComment(id: number, body: string): Promise<void> {
    await this.client.call("PATCH", `${this.base}/issues/comments/${id}`, { body });
  }

  /** Gitea's combined status (Gitea Actions report as statuses); it has no check runs. */
  async checks(sha: string): Promise<ObservedCheck[]> {
    const combined = await this.client.json<{ statuses?: Array<{ context?: string; status?: string }> }>(
      "GET",
      `${this.base}/commits/${encodeURIComponent(sha)}/status?limit=50`,
    );
    return (combined.statuses ?? []).map((s) => ({
      name: s.context ?? "",
      // Gitea's "warning" is a pass with remarks, as its own combined state counts it.
      state:
        s.status === "success" || s.status === "warning"
          ? "success"
          : s.status === "pending"
            ? "pending"
            : "failure",
    }));
  }

  async react(commentId: number, reaction: Reaction): Promise<void> {
    await this.client.call("POST", `${this.base}/issues/comments/${commentId}/reactions`, {
      content: reaction,
    });
  }
}
