// A local Gitea API for tests: commit statuses under /api/v1, token auth, Gitea's error shapes.
// https://gitea.com/api/swagger#/repository/repoCreateStatus
import { type Answer, FakeApi, type Recorded } from "./github-server.js";

export interface GiteaStatus {
  sha: string;
  state: string;
  context: string;
  description: string;
  target_url: string;
}

const STATES = ["pending", "success", "error", "failure", "warning"];

export class FakeGitea extends FakeApi {
  readonly statuses: GiteaStatus[] = [];
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

  protected route(r: Recorded): Answer {
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
}
