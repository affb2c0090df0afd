// What the push/PR/comment flows need from a forge, for one repository: its conversation (PR
// comments, reactions, who may deploy) and where a deploy's own reporters send statuses. One
// adapter per forge (bot/github/repo-api.ts over the installation Octokit, bot/gitea/repo-api.ts
// over fetch); the flows (bot/forge/flows.ts) never know which one they talk to.
import type { ForgeCredentials } from "../../src/app/credentials.js";
import type { ObservedCheck } from "../../src/app/previews.js";
import type { CommitStatus } from "../../src/ports/forge.js";

export type ForgeName = "github" | "gitea";

export interface PullInfo {
  number: number;
  open: boolean;
  headSha: string;
  headRef: string;
  /** owner/name the head branch lives in; null when the fork was deleted. */
  headRepo: string | null;
}

export interface CommentInfo {
  id: number;
  body: string;
  /** Written by this bot: only its own comments are ever edited. */
  mine: boolean;
}

export type Reaction = "eyes" | "rocket" | "confused";

export interface RepoApi {
  readonly forge: ForgeName;
  /** owner/name, as the forge spells it. */
  readonly repo: string;
  /**
   * The deploy's reporters' forge (src/app/reporters.ts): its kind, token, repository and API,
   * so the commit status and GitHub deployment go where the trigger came from.
   */
  forgeCredentials(): Promise<ForgeCredentials>;
  /** A status sent outside a deploy (the repo's config is invalid, so no deploy starts). */
  setStatus(s: CommitStatus): Promise<void>;
  /** The forge's description limit for setStatus (GitHub: 140 characters). */
  readonly descriptionLimit: number;
  pull(number: number): Promise<PullInfo>;
  /** The commit a branch points at now; undefined when the branch does not exist (any more). */
  branchHead(branch: string): Promise<string | undefined>;
  /** May this user deploy: write, maintain or admin on the repository (Gitea: also owner). */
  canDeploy(user: string): Promise<boolean>;
  comments(issue: number): Promise<CommentInfo[]>;
  createComment(issue: number, body: string): Promise<number>;
  updateComment(id: number, body: string): Promise<void>;
  react(commentId: number, reaction: Reaction): Promise<void>;
  /**
   * The checks reported on a commit: each status context's latest state and, where the forge
   * has them (GitHub), each check run's latest run, as pending / success / failure.
   */
  checks(sha: string): Promise<ObservedCheck[]>;
}

/** Roles that may deploy; GitHub answers admin/write (maintain folds into write), Gitea also owner. */
export const DEPLOY_ROLES = new Set(["admin", "maintain", "write", "owner"]);

/** Fields a line carries besides its message (a deploy's id, project, workload, stage…). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
