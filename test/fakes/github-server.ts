// A local GitHub REST API for tests (commit statuses, deployments, deployment statuses), on
// 127.0.0.1, answering with the documented shapes and errors, recording every request it got.
// Also home of FakeApi, the plumbing the Gitea, GitLab and Slack fakes share.
import { createPublicKey, type KeyObject, randomBytes, randomInt, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { type FakeComment, FakeRepoData } from "./repo-data.js";

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
  /** The client's port: requests on one kept-alive connection share it. */
  clientPort: number | undefined;
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
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Set<(r: Recorded) => void>();

  constructor(readonly token: string) {}

  /** The answer to a request in "ok" mode (auth already checked). */
  protected abstract route(r: Recorded): Answer | Promise<Answer>;
  /** The forge's documented error body for a status. */
  protected abstract errorBody(status: number): unknown;
  /** The token the request carries, in this API's scheme. */
  protected abstract tokenOf(r: Recorded): string | undefined;

  /** Requests to paths matching `re`, in order. */
  calls(re: RegExp): Recorded[] {
    return this.requests.filter((r) => re.test(r.path));
  }

  /**
   * The first request, recorded already or when it arrives, for which `match` holds: a caller
   * waits for it without polling (a benchmark that scanned every call every few ms loaded the
   * very event loop it measured). Rejects after `timeoutMs`.
   */
  next(match: (r: Recorded) => boolean, timeoutMs = 120_000): Promise<Recorded> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching request within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = (r: Recorded) => {
        if (!match(r)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(r);
      };
      this.waiters.add(check);
    });
  }

  async start(): Promise<this> {
    this.url = await this.listen();
    return this;
  }

  /** One more server on 127.0.0.1 with the same handler (GitHub's codeload is another origin). */
  protected async listen(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.servers.push(server);
    const addr = server.address();
    if (!addr || typeof addr === "string") throw new Error("no address");
    return `http://127.0.0.1:${addr.port}`;
  }

  async stop(): Promise<void> {
    // Hanging answers hold their sockets open: cut them, or close() waits forever.
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
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
      clientPort: req.socket.remotePort,
    };
    this.requests.push(r);
    for (const w of [...this.waiters]) w(r);
    const mode = this.mode;
    if (mode === "hang") return; // never answered; stop() cuts the socket
    if (typeof mode === "object") await new Promise((resolve) => setTimeout(resolve, mode.slowMs));
    let answer: Answer;
    if (mode === "reflect") {
      answer = this.reflect(`REFLECTED ${String(req.headers.authorization ?? "")} ${this.tokenOf(r) ?? ""}`);
    } else if (typeof mode === "number") {
      answer = this.error(mode);
    } else if (!this.authorized(r)) {
      answer = this.unauthorized(r);
    } else {
      answer = await this.route(r);
    }
    send(res, answer);
  }

  /** Whether the request carries valid credentials; GitHub's App endpoints take a JWT instead. */
  protected authorized(r: Recorded): boolean {
    return this.tokenOf(r) === this.token;
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
  if (Buffer.isBuffer(a.body)) {
    res.writeHead(a.status, { "content-type": "application/octet-stream", ...a.headers });
    res.end(a.body);
    return;
  }
  if (a.body === null) {
    res.writeHead(a.status, a.headers);
    res.end();
    return;
  }
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

/** A check run another app (CI) reported on a commit. */
export interface GitHubCheckRun {
  id: number;
  head_sha: string;
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
}

export interface GitHubDeployment {
  id: number;
  sha: string;
  environment: string;
  transient_environment: boolean;
  /** What the deployment asked GitHub to verify green (absent: every status, GitHub's default). */
  required_contexts?: string[];
  description?: string;
  statuses: Array<{ state: string; environment_url?: string; description?: string }>;
}

/** The GitHub App the fake trusts: JWTs signed with its key get installation tokens. */
export interface FakeApp {
  id: number;
  /** PEM of the app's public key (the test keeps the private half for the bot). */
  publicKey: string;
  installationId: number;
}

/**
 * https://docs.github.com/en/rest: commit statuses, deployments, and what a GitHub App bot reads
 * and writes — installation tokens (JWT-authenticated), repository, commits, contents, tarball
 * (redirected to a codeload URL, as GitHub does), pulls, collaborator permission, issue comments
 * and reactions. Served at the root and under /api/v3 (GitHub Enterprise's base, as GHE_HOST sets).
 */
export class FakeGitHub extends FakeApi {
  readonly statuses: GitHubStatus[] = [];
  readonly deployments: GitHubDeployment[] = [];
  readonly checkRuns: GitHubCheckRun[] = [];
  readonly data = new FakeRepoData();
  app?: FakeApp;
  /** Installation tokens handed out (POST /app/installations/:id/access_tokens). */
  tokensIssued = 0;
  private nextId = randomInt(1000, 9000);
  private readonly codeloadToken = randomBytes(8).toString("hex");
  /** Where tarball redirects point: another port, so another origin, as codeload.github.com is. */
  codeloadUrl = "";
  private appKey?: KeyObject;
  /**
   * A classic token's scopes, sent as X-OAuth-Scopes on the repository's answer as GitHub does;
   * unset: no header (a job token or a fine-grained token lists none).
   */
  scopes?: string;

  constructor(
    token: string,
    readonly repo = "octo/shop",
  ) {
    super(token);
  }

  override async start(): Promise<this> {
    await super.start();
    this.codeloadUrl = await this.listen();
    return this;
  }

  /** Path as the API sees it: GitHub Enterprise serves the same API under /api/v3. */
  private apiPath(path: string): string {
    return path.replace(/^\/api\/v3(?=\/)/, "");
  }

  protected override authorized(r: Recorded): boolean {
    const path = this.apiPath(r.path);
    if (path.startsWith("/_codeload/")) return r.query.get("token") === this.codeloadToken;
    if (path === "/app" || path.startsWith("/app/") || /^\/repos\/[^/]+\/[^/]+\/installation$/.test(path))
      return this.validJwt(r);
    return super.authorized(r);
  }

  /** An RS256 JWT from the app: signed with its key, issued by its id, not expired. */
  private validJwt(r: Recorded): boolean {
    if (!this.app) return false;
    this.appKey ??= createPublicKey(this.app.publicKey);
    const jwt = /^bearer (.+)$/i.exec(String(r.headers.authorization ?? ""))?.[1] ?? "";
    const [h, p, sig] = jwt.split(".");
    if (!h || !p || !sig) return false;
    if (!verify("RSA-SHA256", Buffer.from(`${h}.${p}`), this.appKey, Buffer.from(sig, "base64url")))
      return false;
    const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as {
      iss?: unknown;
      exp?: number;
    };
    return String(claims.iss) === String(this.app.id) && (claims.exp ?? 0) * 1000 > Date.now();
  }

  /** Comments the bot wrote on an issue or pull request. */
  comments(issue: number): FakeComment[] {
    return this.data.commentsOn(issue);
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

  protected route(r: Recorded): Answer | Promise<Answer> {
    const path = this.apiPath(r.path);
    if (path.startsWith("/_codeload/")) return this.codeload(path);
    if (path === "/app" || path.startsWith("/app/")) return this.appRoute(r, path);
    const repoPath = `/repos/${this.repo}`;
    if (path === repoPath && r.method === "GET")
      return {
        status: 200,
        body: this.repository(),
        ...(this.scopes !== undefined ? { headers: { "x-oauth-scopes": this.scopes } } : {}),
      };
    if (!path.startsWith(`${repoPath}/`)) return { status: 404, body: this.errorBody(404) };
    const rest = path.slice(repoPath.length);
    const read = this.repoRoute(r, rest);
    if (read) return read;
    if (r.method !== "POST") return { status: 404, body: this.errorBody(404) };
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
      // GitHub's default: every status on the ref must be success, or no deployment (409);
      // required_contexts names the ones to verify instead (statuses and check runs).
      const latest = new Map(this.statuses.filter((s) => s.sha === ref).map((s) => [s.context, s.state]));
      for (const run of this.checkRuns.filter((c) => c.head_sha === ref))
        latest.set(run.name, run.conclusion === "success" ? "success" : "failure");
      const required = Array.isArray(b.required_contexts) ? b.required_contexts.map(String) : undefined;
      const unmet = required
        ? required.filter((c) => latest.get(c) !== "success")
        : [...latest].filter(([, st]) => st !== "success").map(([c]) => c);
      if (unmet.length > 0)
        return {
          status: 409,
          body: { message: `Conflict: Commit status checks failed for ${ref}.`, documentation_url: "" },
        };
      const d: GitHubDeployment = {
        id: this.nextId++,
        sha: ref,
        environment: typeof b.environment === "string" ? b.environment : "production",
        transient_environment: b.transient_environment === true,
        ...(typeof b.description === "string" ? { description: b.description } : {}),
        ...(required ? { required_contexts: required } : {}),
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

  private repository(): Record<string, unknown> {
    const [owner = "", name = ""] = this.repo.split("/");
    return {
      id: 1296269,
      name,
      full_name: this.repo,
      owner: { login: owner, type: "Organization" },
      private: false,
      default_branch: this.data.defaultBranch,
      url: `${this.url}/repos/${this.repo}`,
    };
  }

  private appRoute(r: Recorded, path: string): Answer {
    const app = this.app!;
    if (r.method === "GET" && path === "/app")
      return {
        status: 200,
        body: { id: app.id, slug: "tinyforge", name: "tinyforge", owner: { login: "octo" } },
      };
    const m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (r.method === "POST" && m) {
      if (Number(m[1]) !== app.installationId) return { status: 404, body: this.errorBody(404) };
      this.tokensIssued++;
      return {
        status: 201,
        body: {
          token: this.token,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: { contents: "read", statuses: "write", pull_requests: "write", issues: "write" },
          repository_selection: "selected",
        },
      };
    }
    return { status: 404, body: this.errorBody(404) };
  }

  /** Reads and the bot's conversation; undefined for what the status/deployment code handles. */
  private repoRoute(r: Recorded, rest: string): Answer | Promise<Answer> | undefined {
    const get = r.method === "GET";
    const d = this.data;
    if (get && rest === "/installation")
      return {
        status: 200,
        body: { id: this.app?.installationId, app_id: this.app?.id, target_type: "Organization" },
      };
    let m = /^\/commits\/([^/]+)$/.exec(rest);
    if (get && m) {
      const sha = d.resolve(decodeURIComponent(m[1]!));
      if (!sha)
        return { status: 422, body: { message: `No commit found for SHA: ${m[1]}`, documentation_url: "" } };
      return { status: 200, body: { sha, url: `${this.url}/repos/${this.repo}/commits/${sha}` } };
    }
    // GET /repos/{owner}/{repo}/branches/{branch}: the branch and its head commit; 404 when none.
    m = /^\/branches\/(.+)$/.exec(rest);
    if (get && m) {
      const name = decodeURIComponent(m[1]!);
      const head = d.branches.get(name);
      if (!head) return { status: 404, body: { message: "Branch not found", documentation_url: "" } };
      return {
        status: 200,
        body: {
          name,
          commit: { sha: head, url: `${this.url}/repos/${this.repo}/commits/${head}` },
          protected: false,
        },
      };
    }
    // The combined status: each context's latest status, newest first.
    m = /^\/commits\/([^/]+)\/status$/.exec(rest);
    if (get && m) {
      const sha = m[1]!;
      const latest = new Map<string, GitHubStatus>();
      for (const s of this.statuses.filter((x) => x.sha === sha)) latest.set(s.context, s);
      const statuses = [...latest.values()].reverse().map((s) => ({
        state: s.state,
        context: s.context,
        description: s.description ?? null,
        target_url: s.target_url ?? null,
      }));
      const state = statuses.some((s) => s.state === "failure" || s.state === "error")
        ? "failure"
        : statuses.length === 0 || statuses.some((s) => s.state === "pending")
          ? "pending"
          : "success";
      return { status: 200, body: { state, sha, total_count: statuses.length, statuses } };
    }
    m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest);
    if (get && m) {
      const sha = m[1]!;
      const all = this.checkRuns.filter((c) => c.head_sha === sha);
      // filter=latest (the default): the newest run of each name.
      const latest = new Map<string, GitHubCheckRun>();
      for (const c of all) latest.set(c.name, c);
      const runs = r.query.get("filter") === "all" ? all : [...latest.values()];
      return {
        status: 200,
        body: {
          total_count: runs.length,
          check_runs: runs.map((c) => ({ ...c, app: { slug: "ci", id: 99 } })),
        },
      };
    }
    m = /^\/contents\/(.+)$/.exec(rest);
    if (get && m) {
      const path = decodeURIComponent(m[1]!);
      const text = d.file(r.query.get("ref") ?? "HEAD", path);
      if (text === undefined) return { status: 404, body: this.errorBody(404) };
      return {
        status: 200,
        body: {
          type: "file",
          encoding: "base64",
          size: Buffer.byteLength(text),
          name: path.split("/").at(-1),
          path,
          content: Buffer.from(text).toString("base64").replace(/.{60}/g, "$&\n"),
        },
      };
    }
    m = /^\/tarball\/([^/]+)$/.exec(rest);
    if (get && m) {
      const sha = d.resolve(decodeURIComponent(m[1]!));
      if (!sha) return { status: 404, body: this.errorBody(404) };
      // GitHub answers 302 to a short-lived codeload URL that carries its own token.
      const location = `${this.codeloadUrl}/_codeload/${this.repo}/legacy.tar.gz/${sha}?token=${this.codeloadToken}`;
      return { status: 302, body: null, headers: { location } };
    }
    m = /^\/pulls\/(\d+)$/.exec(rest);
    if (get && m) {
      const pr = d.pulls.get(Number(m[1]));
      if (!pr) return { status: 404, body: this.errorBody(404) };
      const repo = (full: string | null) =>
        full ? { full_name: full, name: full.split("/")[1], owner: { login: full.split("/")[0] } } : null;
      return {
        status: 200,
        body: {
          number: pr.number,
          state: pr.state,
          head: { sha: pr.head.sha, ref: pr.head.ref, repo: repo(pr.head.repo) },
          base: { ref: pr.base.ref, repo: repo(pr.base.repo) },
        },
      };
    }
    m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest);
    if (get && m) {
      const login = decodeURIComponent(m[1]!);
      const role = d.permissions.get(login) ?? "read";
      // GitHub folds maintain into write and triage into read; role_name keeps the exact role.
      const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
      return { status: 200, body: { permission, role_name: role, user: { login, type: "User" } } };
    }
    m = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (m && get) {
      const all = d.commentsOn(Number(m[1]));
      const perPage = Math.min(Number(r.query.get("per_page") ?? 30) || 30, 100);
      const page = Math.max(Number(r.query.get("page") ?? 1) || 1, 1);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < all.length)
        headers.link = `<${this.url}${r.path}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      return { status: 200, body: slice.map((c) => this.commentBody(c)), headers };
    }
    if (m && r.method === "POST") {
      if (typeof r.body.body !== "string" || !r.body.body) return this.invalidComment();
      return {
        status: 201,
        body: this.commentBody(d.addComment(Number(m[1]), r.body.body, "tinyforge[bot]", true)),
      };
    }
    m = /^\/issues\/comments\/(\d+)$/.exec(rest);
    if (m && r.method === "PATCH") {
      if (typeof r.body.body !== "string" || !r.body.body) return this.invalidComment();
      const c = d.editComment(Number(m[1]), r.body.body);
      return c ? { status: 200, body: this.commentBody(c) } : { status: 404, body: this.errorBody(404) };
    }
    m = /^\/issues\/comments\/(\d+)\/reactions$/.exec(rest);
    if (m && r.method === "POST") {
      const content = String(r.body.content ?? "");
      if (!["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"].includes(content))
        return this.invalid("content", "content is not included in the list");
      d.reactions.push({ commentId: Number(m[1]), content, user: "tinyforge[bot]" });
      return {
        status: 201,
        body: { id: this.nextId++, content, user: { login: "tinyforge[bot]", type: "Bot" } },
      };
    }
    return undefined;
  }

  private invalidComment(): Answer {
    return {
      status: 422,
      body: { message: "Validation Failed", errors: [{ field: "body", code: "missing_field" }] },
    };
  }

  private commentBody(c: FakeComment): Record<string, unknown> {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      body: c.body,
      user: { login: c.user, type: c.bot ? "Bot" : "User" },
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      html_url: `https://github.example/${this.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    };
  }

  private async codeload(path: string): Promise<Answer> {
    const sha = /\/legacy\.tar\.gz\/([0-9a-f]+)$/.exec(path)?.[1] ?? "";
    const top = `${this.repo.replace("/", "-")}-${sha.slice(0, 7)}`;
    const tgz = await this.data.tarball(sha, top);
    if (!tgz) return { status: 404, body: "Not Found" };
    return { status: 200, body: tgz, headers: { "content-type": "application/x-gzip" } };
  }
}
