// An in-memory RepoApi for the flows' unit tests: records every call, answers from its fields.
import type { ForgeCredentials } from "../../../src/app/credentials.js";
import type { CommentInfo, PullInfo, Reaction, RepoApi } from "../../../bot/forge/types.js";
import type { CommitStatus } from "../../../src/ports/forge.js";
import type { ObservedCheck } from "../../../src/app/previews.js";

export class FakeRepoApi implements RepoApi {
  readonly forge = "github" as const;
  readonly descriptionLimit = 140;
  readonly calls: string[] = [];
  readonly statuses: CommitStatus[] = [];
  readonly comments_: Array<CommentInfo & { issue: number }> = [];
  readonly reactions: Array<[number, Reaction]> = [];
  writers = new Set(["alice"]);
  pulls = new Map<number, PullInfo>();
  /** Branch → head SHA; a branch not here does not exist. */
  heads = new Map<string, string>();
  failWrites = false;
  /** The checks reported on each commit SHA. */
  checkRuns = new Map<string, ObservedCheck[]>();
  private nextId = 100;

  constructor(readonly repo = "octo/shop") {}

  async forgeCredentials(): Promise<ForgeCredentials> {
    this.calls.push("forgeCredentials");
    return {
      kind: "github",
      tokens: { github: "t" },
      actions: { api: "http://127.0.0.1:1", repo: this.repo },
    };
  }
  async setStatus(s: CommitStatus) {
    this.calls.push("setStatus");
    this.statuses.push(s);
  }
  async checks(sha: string) {
    this.calls.push(`checks ${sha}`);
    return this.checkRuns.get(sha) ?? [];
  }
  async branchHead(branch: string) {
    this.calls.push(`branchHead ${branch}`);
    return this.heads.get(branch);
  }
  async pull(n: number) {
    this.calls.push(`pull ${n}`);
    const p = this.pulls.get(n);
    if (!p) throw new Error("404");
    return p;
  }
  async canDeploy(user: string) {
    this.calls.push(`canDeploy ${user}`);
    return this.writers.has(user);
  }
  async comments(issue: number) {
    this.calls.push(`comments ${issue}`);
    return this.comments_.filter((c) => c.issue === issue);
  }
  async createComment(issue: number, body: string) {
    this.calls.push(`createComment ${issue}`);
    if (this.failWrites) throw new Error("HTTP 502");
    const id = this.nextId++;
    this.comments_.push({ id, body, mine: true, issue });
    return id;
  }
  async updateComment(id: number, body: string) {
    this.calls.push(`updateComment ${id}`);
    if (this.failWrites) throw new Error("HTTP 502");
    const c = this.comments_.find((x) => x.id === id);
    if (!c) throw new Error("404");
    c.body = body;
  }
  async react(commentId: number, reaction: Reaction) {
    this.calls.push(`react ${commentId}`);
    this.reactions.push([commentId, reaction]);
  }
}
