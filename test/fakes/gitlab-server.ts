// A local GitLab API for tests: commit statuses under /api/v4, PRIVATE-TOKEN auth, GitLab's error
// shapes, and its state machine (posting the same running state twice is a 400).
// https://docs.gitlab.com/api/commits/#set-the-pipeline-status-of-a-commit
import { type Answer, FakeApi, type Recorded } from "./github-server.js";

export interface GitLabStatus {
  sha: string;
  status: string;
  name: string;
  description: string | null;
  target_url: string | null;
}

const STATES = ["pending", "running", "success", "failed", "canceled", "skipped"];

export class FakeGitLab extends FakeApi {
  readonly statuses: GitLabStatus[] = [];
  private nextId = 1;

  constructor(
    token: string,
    readonly project = "group/shop",
  ) {
    super(token);
  }

  get api(): string {
    return `${this.url}/api/v4`;
  }

  protected tokenOf(r: Recorded): string | undefined {
    const h = r.headers["private-token"];
    if (typeof h === "string") return h;
    return /^bearer (.+)$/i.exec(String(r.headers.authorization ?? ""))?.[1];
  }

  protected errorBody(status: number): unknown {
    const message =
      {
        401: "401 Unauthorized",
        403: "403 Forbidden",
        404: "404 Project Not Found",
        422: "422 Unprocessable Entity",
        500: "500 Internal Server Error",
      }[status] ?? `${status}`;
    return { message };
  }

  protected route(r: Recorded): Answer {
    // The project id is numeric or the URL-encoded path; the server sees it encoded (one segment).
    const m = /^\/api\/v4\/projects\/([^/]+)\/statuses\/([^/]+)$/.exec(r.path);
    if (r.method !== "POST" || !m || decodeURIComponent(m[1]!) !== this.project)
      return { status: 404, body: this.errorBody(404) };
    const b = r.body;
    if (!STATES.includes(String(b.state)))
      return { status: 400, body: { error: "state does not have a valid value" } };
    const sha = m[2]!;
    const name = typeof b.name === "string" ? b.name : typeof b.context === "string" ? b.context : "default";
    const last = this.statuses.filter((s) => s.sha === sha && s.name === name).at(-1);
    if (last && last.status === b.state && (last.status === "pending" || last.status === "running"))
      return {
        status: 400,
        body: {
          message: `Cannot transition status via :${b.state === "pending" ? "enqueue" : "run"} from :${last.status}`,
        },
      };
    const s: GitLabStatus = {
      sha,
      status: String(b.state),
      name,
      description: typeof b.description === "string" ? b.description : null,
      target_url: typeof b.target_url === "string" ? b.target_url : null,
    };
    this.statuses.push(s);
    const id = this.nextId++;
    return {
      status: 201,
      body: {
        id,
        sha,
        ref: typeof b.ref === "string" ? b.ref : "main",
        status: s.status,
        name: s.name,
        target_url: s.target_url,
        description: s.description,
        created_at: new Date().toISOString(),
        started_at: null,
        finished_at: null,
        allow_failure: false,
        coverage: null,
        author: { id: 1, username: "tinyforge-bot" },
      },
    };
  }
}
