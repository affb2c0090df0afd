// A local Gitea API for tests: commit statuses under /api/v1, token auth, Gitea's error shapes —
// and what the bot reads and writes: repository, branches, raw files, archives, pulls,
// collaborator permission, issue comments and reactions.
// https://gitea.com/api/swagger#/repository/repoCreateStatus
import { type Answer, FakeApi, type Recorded } from "./github-server.js";
import { type FakeComment, FakeRepoData } from "./repo-data.js";

export interface GiteaStatus {
  sha: string;
  state: string;
  context: string;
  description: string;
  target_url: string;
}

const STATES = ["pending", "success", "error", "failure", "warning"];

/** The user the token belongs to: the bot's own comments carry this login. */
export const GITEA_BOT_LOGIN = "tinyforge-bot";

export class FakeGitea extends FakeApi {
  readonly statuses: GiteaStatus[] = [];
  readonly data = new FakeRepoData();
  private nextId = 1;

  constructor(
    token: string,
    readonly repo = "octo/shop",
  ) {
    super(token);
  }

  /** The API base a config's forge.api names. */
  get api(): string {
    return `${this.url}/api/v1`;
  }

  protected tokenOf(r: Recorded): string | undefined {
    const h = String(r.headers.authorization ?? "");
    return (
      /^(?:token|bearer) (.+)$/i.exec(h)?.[1] ??
      r.query.get("access_token") ??
      r.query.get("token") ??
      undefined
    );
  }

  protected errorBody(status: number): unknown {
    const message =
      {
        401: "token is required",
        403: "user should have a permission to write to a repo",
        404: "",
        422: "[State]: Required",
        500: "",
      }[status] ?? "";
    return { message, url: `${this.url}/api/swagger` };
  }

  /** Comments the bot wrote on an issue or pull request. */
  comments(issue: number): FakeComment[] {
    return this.data.commentsOn(issue);
  }

  private notFound(): Answer {
    return { status: 404, body: { errors: null, message: "not found", url: `${this.url}/api/swagger` } };
  }

  protected route(r: Recorded): Answer | Promise<Answer> {
    if (r.method === "GET" && r.path === "/api/v1/user")
      return { status: 200, body: { id: 7, login: GITEA_BOT_LOGIN, full_name: "tinyforge" } };
    const prefix = `/api/v1/repos/${this.repo}`;
    if (r.path === prefix && r.method === "GET")
      return {
        status: 200,
        body: {
          id: 1,
          full_name: this.repo,
          name: this.repo.split("/")[1],
          default_branch: this.data.defaultBranch,
        },
      };
    if (r.path.startsWith(`${prefix}/`)) {
      const read = this.repoRoute(r, r.path.slice(prefix.length));
      if (read) return read;
    }
    const m = /^\/api\/v1\/repos\/([^/]+)\/([^/]+)\/statuses\/([^/]+)$/.exec(r.path);
    if (r.method !== "POST" || !m || `${m[1]}/${m[2]}` !== this.repo)
      return { status: 404, body: { errors: null, message: "not found", url: `${this.url}/api/swagger` } };
    const b = r.body;
    if (!STATES.includes(String(b.state))) return { status: 422, body: this.errorBody(422) };
    const s: GiteaStatus = {
      sha: m[3]!,
      state: String(b.state),
      context: typeof b.context === "string" ? b.context : "",
      description: typeof b.description === "string" ? b.description : "",
      target_url: typeof b.target_url === "string" ? b.target_url : "",
    };
    this.statuses.push(s);
    const id = this.nextId++;
    return {
      status: 201,
      body: {
        id,
        status: s.state,
        target_url: s.target_url,
        description: s.description,
        url: `${this.url}/api/v1/repos/${this.repo}/statuses/${s.sha}`,
        context: s.context,
        creator: { id: 1, login: "tinyforge-bot" },
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      },
    };
  }

  private repoRoute(r: Recorded, rest: string): Answer | Promise<Answer> | undefined {
    const get = r.method === "GET";
    const d = this.data;
    let m = /^\/branches\/(.+)$/.exec(rest);
    if (get && m) {
      const name = decodeURIComponent(m[1]!);
      const sha = d.branches.get(name);
      return sha ? { status: 200, body: { name, commit: { id: sha } } } : this.notFound();
    }
    m = /^\/raw\/(.+)$/.exec(rest);
    if (get && m) {
      const text = d.file(r.query.get("ref") ?? d.defaultBranch, decodeURIComponent(m[1]!));
      return text === undefined ? this.notFound() : { status: 200, body: text };
    }
    m = /^\/archive\/([0-9a-f]+)\.tar\.gz$/.exec(rest);
    if (get && m) return this.archive(m[1]!);
    m = /^\/pulls\/(\d+)$/.exec(rest);
    if (get && m) {
      const pr = d.pulls.get(Number(m[1]));
      if (!pr) return this.notFound();
      const repo = (full: string | null) => (full ? { full_name: full, name: full.split("/")[1] } : null);
      return {
        status: 200,
        body: {
          number: pr.number,
          state: pr.state,
          head: { sha: pr.head.sha, ref: pr.head.ref, label: pr.head.ref, repo: repo(pr.head.repo) },
          base: { ref: pr.base.ref, label: pr.base.ref, repo: repo(pr.base.repo) },
        },
      };
    }
    m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest);
    if (get && m) {
      const login = decodeURIComponent(m[1]!);
      const permission = d.permissions.get(login);
      // Gitea answers 403 for someone who is not a collaborator.
      if (!permission) return { status: 403, body: { message: `${login} is not a collaborator`, url: "" } };
      return { status: 200, body: { permission, role_name: permission, user: { login } } };
    }
    m = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (m && get) return { status: 200, body: d.commentsOn(Number(m[1])).map((c) => this.commentBody(c)) };
    if (m && r.method === "POST") {
      if (typeof r.body.body !== "string") return { status: 422, body: this.errorBody(422) };
      return {
        status: 201,
        body: this.commentBody(d.addComment(Number(m[1]), r.body.body, GITEA_BOT_LOGIN, true)),
      };
    }
    m = /^\/issues\/comments\/(\d+)$/.exec(rest);
    if (m && r.method === "PATCH") {
      const c = typeof r.body.body === "string" ? d.editComment(Number(m[1]), r.body.body) : undefined;
      return c ? { status: 200, body: this.commentBody(c) } : this.notFound();
    }
    m = /^\/issues\/comments\/(\d+)\/reactions$/.exec(rest);
    if (m && r.method === "POST") {
      const content = String(r.body.content ?? "");
      d.reactions.push({ commentId: Number(m[1]), content, user: GITEA_BOT_LOGIN });
      return {
        status: 201,
        body: { user: { login: GITEA_BOT_LOGIN }, content, created_at: new Date().toISOString() },
      };
    }
    return undefined;
  }

  private commentBody(c: FakeComment): Record<string, unknown> {
    return {
      id: c.id,
      body: c.body,
      user: { id: c.bot ? 7 : 8, login: c.user },
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      html_url: `${this.url}/${this.repo}/pulls/${c.issue}#issuecomment-${c.id}`,
    };
  }

  private async archive(sha: string): Promise<Answer> {
    // Gitea's archives put every entry under the repository's name.
    const tgz = await this.data.tarball(sha, this.repo.split("/")[1]!);
    return tgz
      ? { status: 200, body: tgz, headers: { "content-type": "application/octet-stream" } }
      : this.notFound();
  }
}
