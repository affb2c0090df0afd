// A local GitHub REST API for tests (commit statuses, deployments, deployment statuses), on
// 127.0.0.1, answering with the documented shapes and errors, recording every request it got.
// Also home of FakeApi, the plumbing the Gitea, GitLab and Slack fakes share.
import { randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * How the fake answers: normally ("ok"), with a documented error status, never ("hang"), late
 * ({ slowMs }), or with an error whose body quotes the caller's own Authorization header
 * ("reflect": a hostile or broken server that would leak the token into a careless log).
 */
export type Mode = "ok" | 401 | 403 | 404 | 422 | 500 | "hang" | "reflect" | { slowMs: number };

export interface Recorded {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON or form body (Slack sends forms, with JSON-encoded fields). */
  body: Record<string, unknown>;
  at: number;
}

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export abstract class FakeApi {
  readonly requests: Recorded[] = [];
  mode: Mode = "ok";
  url = "";
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(readonly token: string) {}

  /** The answer to a request in "ok" mode (auth already checked). */
  protected abstract route(r: Recorded): Answer;
  /** The forge's documented error body for a status. */
  protected abstract errorBody(status: number): unknown;
  /** The token the request carries, in this API's scheme. */
  protected abstract tokenOf(r: Recorded): string | undefined;

  /** Requests to paths matching `re`, in order. */
  calls(re: RegExp): Recorded[] {
    return this.requests.filter((r) => re.test(r.path));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const addr = this.server.address();
    if (!addr || typeof addr === "string") throw new Error("no address");
    this.url = `http://127.0.0.1:${addr.port}`;
    return this;
  }

  async stop(): Promise<void> {
    // Hanging answers hold their sockets open: cut them, or close() waits forever.
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const u = new URL(req.url ?? "/", "http://fake");
    const r: Recorded = {
      method: req.method ?? "GET",
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      body: parseBody(text, req.headers["content-type"]),
      at: Date.now(),
    };
    this.requests.push(r);
    const mode = this.mode;
    if (mode === "hang") return; // never answered; stop() cuts the socket
    if (typeof mode === "object") await new Promise((resolve) => setTimeout(resolve, mode.slowMs));
    let answer: Answer;
    if (mode === "reflect") {
      answer = this.reflect(`REFLECTED ${String(req.headers.authorization ?? "")} ${this.tokenOf(r) ?? ""}`);
    } else if (typeof mode === "number") {
      answer = this.error(mode);
    } else if (this.tokenOf(r) !== this.token) {
      answer = this.unauthorized(r);
    } else {
      answer = this.route(r);
    }
    send(res, answer);
  }

  /** A documented error answer; Slack overrides it (its errors are HTTP 200 with ok: false). */
  protected error(status: number): Answer {
    return { status, body: this.errorBody(status) };
  }

  /** The answer to a missing or wrong token. */
  protected unauthorized(_r: Recorded): Answer {
    return this.error(401);
  }

  /** An error whose body quotes `echo` (the caller's credentials). */
  protected reflect(echo: string): Answer {
    return { status: 401, body: { message: `Bad credentials ${echo}` } };
  }
}

function parseBody(text: string, type: string | undefined): Record<string, unknown> {
  if (!text) return {};
  if (type?.includes("application/x-www-form-urlencoded")) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      // Slack's WebClient sends objects (blocks) as JSON strings inside the form.
      out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
    }
    return out;
  }
  const parsed = safeJson(text);
  return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : { _raw: text };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function send(res: ServerResponse, a: Answer): void {
  const text = typeof a.body === "string" ? a.body : JSON.stringify(a.body);
  res.writeHead(a.status, {
    "content-type": typeof a.body === "string" ? "text/plain" : "application/json; charset=utf-8",
    ...a.headers,
  });
  res.end(text);
}

const runes = (s: unknown) => (typeof s === "string" ? Array.from(s).length : 0);
const now = () => new Date().toISOString();
const SHA = /^[0-9a-f]{7,40}$/;

export interface GitHubStatus {
  sha: string;
  state: string;
  context: string;
  description?: string;
  target_url?: string;
}

export interface GitHubDeployment {
  id: number;
  sha: string;
  environment: string;
  transient_environment: boolean;
  description?: string;
  statuses: Array<{ state: string; environment_url?: string; description?: string }>;
}

/** https://docs.github.com/en/rest/commits/statuses and /rest/deployments. */
export class FakeGitHub extends FakeApi {
  readonly statuses: GitHubStatus[] = [];
  readonly deployments: GitHubDeployment[] = [];
  private nextId = randomInt(1000, 9000);

  constructor(
    token: string,
    readonly repo = "octo/shop",
  ) {
    super(token);
  }

  protected tokenOf(r: Recorded): string | undefined {
    const h = String(r.headers.authorization ?? "");
    return /^(?:token|bearer) (.+)$/i.exec(h)?.[1];
  }

  protected errorBody(status: number): unknown {
    const doc = "https://docs.github.com/rest";
    const message =
      {
        401: "Bad credentials",
        403: "Resource not accessible by integration",
        404: "Not Found",
        409: "Conflict",
        422: "Validation Failed",
        500: "Server Error",
      }[status] ?? "Error";
    return { message, documentation_url: doc, status: String(status) };
  }

  private invalid(field: string, message: string): Answer {
    return {
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [{ resource: "Status", code: "custom", field, message }],
        documentation_url: "https://docs.github.com/rest/commits/statuses#create-a-commit-status",
        status: "422",
      },
    };
  }

  protected route(r: Recorded): Answer {
    const repoPath = `/repos/${this.repo}`;
    if (r.method !== "POST" || !r.path.startsWith(`${repoPath}/`))
      return { status: 404, body: this.errorBody(404) };
    const rest = r.path.slice(repoPath.length);
    const b = r.body;
    let m = /^\/statuses\/([^/]+)$/.exec(rest);
    if (m) {
      const sha = m[1]!;
      if (!SHA.test(sha)) return this.invalid("sha", `No commit found for SHA: ${sha}`);
      if (!["error", "failure", "pending", "success"].includes(String(b.state)))
        return this.invalid("state", "state is not included in the list");
      if (runes(b.description) > 140)
        return this.invalid("description", "description is too long (maximum is 140 characters)");
      const s: GitHubStatus = {
        sha,
        state: String(b.state),
        context: typeof b.context === "string" ? b.context : "default",
        ...(typeof b.description === "string" ? { description: b.description } : {}),
        ...(typeof b.target_url === "string" ? { target_url: b.target_url } : {}),
      };
      this.statuses.push(s);
      const id = this.nextId++;
      return {
        status: 201,
        body: {
          url: `${this.url}${repoPath}/statuses/${sha}`,
          id,
          node_id: `SC_${id}`,
          state: s.state,
          description: s.description ?? null,
          target_url: s.target_url ?? null,
          context: s.context,
          created_at: now(),
          updated_at: now(),
          creator: { login: "tinyforge-bot", id: 1, type: "Bot" },
        },
      };
    }
    if (rest === "/deployments") {
      const ref = String(b.ref ?? "");
      if (!ref) return this.invalid("ref", "ref is missing");
      // GitHub's default: every status on the ref must be success, or no deployment (409).
      if (!Array.isArray(b.required_contexts)) {
        const latest = new Map(this.statuses.filter((s) => s.sha === ref).map((s) => [s.context, s.state]));
        if ([...latest.values()].some((st) => st !== "success"))
          return {
            status: 409,
            body: { message: `Conflict: Commit status checks failed for ${ref}.`, documentation_url: "" },
          };
      }
      const d: GitHubDeployment = {
        id: this.nextId++,
        sha: ref,
        environment: typeof b.environment === "string" ? b.environment : "production",
        transient_environment: b.transient_environment === true,
        ...(typeof b.description === "string" ? { description: b.description } : {}),
        statuses: [],
      };
      this.deployments.push(d);
      return {
        status: 201,
        body: {
          url: `${this.url}${repoPath}/deployments/${d.id}`,
          id: d.id,
          node_id: `DE_${d.id}`,
          sha: d.sha,
          ref,
          task: b.task ?? "deploy",
          payload: {},
          original_environment: d.environment,
          environment: d.environment,
          description: d.description ?? null,
          creator: { login: "tinyforge-bot", id: 1, type: "Bot" },
          created_at: now(),
          updated_at: now(),
          statuses_url: `${this.url}${repoPath}/deployments/${d.id}/statuses`,
          repository_url: `${this.url}${repoPath}`,
          transient_environment: d.transient_environment,
          production_environment: d.environment === "production",
        },
      };
    }
    m = /^\/deployments\/(\d+)\/statuses$/.exec(rest);
    if (m) {
      const d = this.deployments.find((x) => x.id === Number(m![1]));
      if (!d) return { status: 404, body: this.errorBody(404) };
      const states = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];
      if (!states.includes(String(b.state)))
        return this.invalid("state", "state is not included in the list");
      const s = {
        state: String(b.state),
        ...(typeof b.environment_url === "string" ? { environment_url: b.environment_url } : {}),
        ...(typeof b.description === "string" ? { description: b.description } : {}),
      };
      d.statuses.push(s);
      const id = this.nextId++;
      return {
        status: 201,
        body: {
          url: `${this.url}${repoPath}/deployments/${d.id}/statuses/${id}`,
          id,
          node_id: `DES_${id}`,
          state: s.state,
          creator: { login: "tinyforge-bot", id: 1, type: "Bot" },
          description: s.description ?? "",
          environment: d.environment,
          environment_url: s.environment_url ?? "",
          log_url: "",
          created_at: now(),
          updated_at: now(),
          deployment_url: `${this.url}${repoPath}/deployments/${d.id}`,
          repository_url: `${this.url}${repoPath}`,
        },
      };
    }
    return { status: 404, body: this.errorBody(404) };
  }
}
