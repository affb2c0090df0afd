// RepoApi over a GitHub App installation's Octokit: PR lookups, the collaborator permission
// check, comments and reactions. Statuses for an invalid config go through the same GitHubForge
// adapter the deploy reporters use, with the installation token.
import type { ProbotOctokit } from "probot";
import type { ForgeCredentials } from "../../src/app/credentials.js";
import type { ObservedCheck } from "../../src/app/previews.js";
import { GitHubForge } from "../../src/adapters/forge/github.js";
import { splitRepo } from "../../src/adapters/forge/repo.js";
import { DEFAULT_TIMEOUT_MS } from "../../src/net/fetch.js";
import type { CommitStatus } from "../../src/ports/forge.js";
import {
  type CommentInfo,
  DEPLOY_ROLES,
  type PullInfo,
  type Reaction,
  type RepoApi,
} from "../forge/types.js";
import { directGet, repoPath } from "./direct-read.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export class GitHubRepoApi implements RepoApi {
  readonly forge = "github";
  readonly descriptionLimit = 140;
  private readonly owner: string;
  private readonly name: string;

  constructor(
    private readonly octokit: Octokit,
    readonly repo: string,
    /** The API base the installation talks to (https://api.github.com or GHE's /api/v3). */
    private readonly api: string,
    private readonly botLogin: () => Promise<string>,
    /** The installation token (bot/github/installations.ts), for the deploy's own reporters. */
    private readonly token: () => Promise<string>,
  ) {
    ({ owner: this.owner, name: this.name } = splitRepo(repo));
  }

  async forgeCredentials(): Promise<ForgeCredentials> {
    return githubCredentials(this.api, this.repo, await this.token());
  }

  async setStatus(s: CommitStatus): Promise<void> {
    await new GitHubForge(this.api, this.repo, await this.token(), DEFAULT_TIMEOUT_MS).setStatus(s);
  }

  async branchHead(branch: string): Promise<string | undefined> {
    // Straight to the API first (direct-read.ts): this read is on the way to the pending status.
    const direct = await directGet<{ commit: { sha: string } }>(
      this.api,
      await this.token(),
      `${repoPath(this.owner, this.name)}/branches/${encodeURIComponent(branch)}`,
    );
    if (direct) return direct.found ? direct.data.commit.sha : undefined;
    try {
      const { data } = await this.octokit.rest.repos.getBranch({
        owner: this.owner,
        repo: this.name,
        branch,
      });
      return data.commit.sha;
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw e;
    }
  }

  async pull(number: number): Promise<PullInfo> {
    const { data } = await this.octokit.rest.pulls.get({
      owner: this.owner,
      repo: this.name,
      pull_number: number,
    });
    return {
      number,
      open: data.state === "open",
      headSha: data.head.sha,
      headRef: data.head.ref,
      headRepo: data.head.repo?.full_name ?? null,
    };
  }

  async canDeploy(user: string): Promise<boolean> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({
        owner: this.owner,
        repo: this.name,
        username: user,
      });
      return DEPLOY_ROLES.has(data.permission) || DEPLOY_ROLES.has(data.role_name);
    } catch (e) {
      if ((e as { status?: number }).status === 404) return false; // not a collaborator
      throw e;
    }
  }

  async comments(issue: number): Promise<CommentInfo[]> {
    const [login, list] = await Promise.all([
      this.botLogin(),
      this.octokit.paginate(this.octokit.rest.issues.listComments, {
        owner: this.owner,
        repo: this.name,
        issue_number: issue,
        per_page: 100,
      }),
    ]);
    return list.map((c) => ({ id: c.id, body: c.body ?? "", mine: c.user?.login === login }));
  }

  async createComment(issue: number, body: string): Promise<number> {
    const { data } = await this.octokit.rest.issues.createComment({
      owner: this.owner,
      repo: this.name,
      issue_number: issue,
      body,
    });
    return data.id;
  }

  async updateComment(id: number, body: string): Promise<void> {
    await this.octokit.rest.issues.updateComment({
      owner: this.owner,
      repo: this.name,
      comment_id: id,
      body,
    });
  }

  async checks(sha: string): Promise<ObservedCheck[]> {
    const at = { owner: this.owner, repo: this.name, ref: sha, per_page: 100 };
    const [combined, runs] = await Promise.all([
      this.octokit.rest.repos.getCombinedStatusForRef(at),
      // filter "latest": a re-run replaces its earlier run of the same name.
      this.octokit.paginate(this.octokit.rest.checks.listForRef, { ...at, filter: "latest" }),
    ]);
    return [
      ...combined.data.statuses.map((s) => ({ name: s.context, state: statusState(s.state) })),
      ...runs.map((r) => ({ name: r.name, state: runState(r.status, r.conclusion) })),
    ];
  }

  async react(commentId: number, reaction: Reaction): Promise<void> {
    await this.octokit.rest.reactions.createForIssueComment({
      owner: this.owner,
      repo: this.name,
      comment_id: commentId,
      content: reaction,
    });
  }
}

/** A commit status's state: error and failure both fail. */
export function statusState(state: string): ObservedCheck["state"] {
  return state === "success" ? "success" : state === "pending" ? "pending" : "failure";
}

/**
 * A check run: pending until completed; then success, neutral and skipped pass (GitHub's own
 * merge checks treat them so), anything else (failure, cancelled, timed_out, action_required,
 * stale) fails.
 */
export function runState(status: string, conclusion: string | null | undefined): ObservedCheck["state"] {
  if (status !== "completed") return "pending";
  return ["success", "neutral", "skipped"].includes(conclusion ?? "") ? "success" : "failure";
}

/** A GitHub App installation's reporters: the installation token, on the repo it was installed on. */
export function githubCredentials(api: string, repo: string, token: string): ForgeCredentials {
  return { kind: "github", tokens: { github: token }, actions: { api, repo } };
}
