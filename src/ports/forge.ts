// Where a deploy's result shows up next to the code: a commit status (GitHub, Gitea, GitLab) and,
// where the forge has them, deployments with an environment. The adapters speak each forge's API;
// the reporters (src/report) decide what to say and when.

export type ForgeKind = "github" | "gitea" | "gitlab";

/** Our three states; each adapter maps them onto its forge's words (GitLab says "failed"). */
export type StatusState = "pending" | "success" | "failure";

export interface CommitStatus {
  sha: string;
  state: StatusState;
  /** One fixed name per stage ("tinyforge"), so a redeploy updates one row instead of adding one. */
  context: string;
  /** Already redacted and cut to the forge's descriptionLimit. */
  description: string;
  /** The deployed URL; absent while there is none yet. */
  targetUrl?: string;
}

export interface Forge {
  readonly kind: ForgeKind;
  /** Longest status description the forge accepts, in characters (GitHub: 140). */
  readonly descriptionLimit: number;
  setStatus(status: CommitStatus): Promise<void>;
}

export type DeploymentState = "in_progress" | "success" | "failure" | "inactive";

export interface DeploymentRequest {
  sha: string;
  /** "production", or "preview/pr-12" for a tagged instance. */
  environment: string;
  /** Tagged instances come and go (PR previews): the forge may hide them once inactive. */
  transient: boolean;
  description: string;
  /**
   * The status contexts the forge must see green on the commit (the checks the bot waited for,
   * stages.S.wait_for_checks); none: the deploy did not wait for any.
   */
  requiredContexts?: readonly string[];
}

export interface DeploymentStatus {
  state: DeploymentState;
  description: string;
  environmentUrl?: string;
}

/** GitHub's Deployments API: one deployment per deploy, its statuses as it runs. */
export interface Deployments {
  createDeployment(d: DeploymentRequest): Promise<number>;
  setDeploymentStatus(id: number, s: DeploymentStatus): Promise<void>;
}
