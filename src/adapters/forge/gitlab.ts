// GitLab commit statuses: POST {api}/projects/{url-encoded path}/statuses/{sha}, PRIVATE-TOKEN auth.
// The status's "name" is our context. https://docs.gitlab.com/api/commits/#set-the-pipeline-status-of-a-commit
import type { CommitStatus, Forge, StatusState } from "../../ports/forge.js";
import type { ForgeRequest } from "./gitea.js";
import { postJson } from "./post-json.js";
import { trimSlash } from "./repo.js";

const GITLAB_STATE: Record<StatusState, string> = {
  pending: "pending",
  success: "success",
  failure: "failed",
};

export function gitlabStatusRequest(api: string, project: string, s: CommitStatus): ForgeRequest {
  return {
    method: "POST",
    // Subgroups are fine: the whole "group/sub/project" path is one encoded segment.
    url: `${trimSlash(api)}/projects/${encodeURIComponent(project)}/statuses/${s.sha}`,
    body: {
      state: GITLAB_STATE[s.state],
      name: s.context,
      description: s.description,
      ...(s.targetUrl ? { target_url: s.targetUrl } : {}),
    },
  };
}

export class GitLabForge implements Forge {
  readonly kind = "gitlab";
  readonly descriptionLimit = 255;

  constructor(
    private readonly api: string,
    private readonly project: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {}

  async setStatus(s: CommitStatus): Promise<void> {
    const r = gitlabStatusRequest(this.api, this.project, s);
    await postJson(r.url, { "private-token": this.token }, r.body, "GitLab", this.timeoutMs);
  }
}
