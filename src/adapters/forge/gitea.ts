// Gitea (and Forgejo) commit statuses: POST {api}/repos/{owner}/{repo}/statuses/{sha}, token auth.
// https://gitea.com/api/swagger#/repository/repoCreateStatus
import type { CommitStatus, Forge } from "../../ports/forge.js";
import { postJson } from "./post-json.js";
import { splitRepo, trimSlash } from "./repo.js";

export interface ForgeRequest {
  method: "POST";
  url: string;
  body: Record<string, string>;
}

/** Gitea's states are GitHub's plus "warning"; ours map one to one. */
export function giteaStatusRequest(api: string, repo: string, s: CommitStatus): ForgeRequest {
  const { owner, name } = splitRepo(repo);
  return {
    method: "POST",
    url: `${trimSlash(api)}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/statuses/${s.sha}`,
    body: {
      state: s.state,
      context: s.context,
      description: s.description,
      ...(s.targetUrl ? { target_url: s.targetUrl } : {}),
    },
  };
}

export class GiteaForge implements Forge {
  readonly kind = "gitea";
  // Gitea stores the description as TEXT; 255 keeps its status list readable.
  readonly descriptionLimit = 255;

  constructor(
    private readonly api: string,
    private readonly repo: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {}

  async setStatus(s: CommitStatus): Promise<void> {
    const r = giteaStatusRequest(this.api, this.repo, s);
    await postJson(r.url, { authorization: `token ${this.token}` }, r.body, "Gitea", this.timeoutMs);
  }
}
