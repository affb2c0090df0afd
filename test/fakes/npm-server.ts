// A local stand-in for Nginx Proxy Manager's API (v2.x backend, read from its source: routes/
// tokens.js, routes/nginx/proxy_hosts.js, internal/proxy-host.js, internal/nginx.js, lib/error.js,
// schema/paths/nginx/proxy-hosts/*). It implements the contract tinyforge relies on and rejects
// what real NPM rejects:
//   - POST /api/tokens {identity, secret} → {token, expires}; GET /api/tokens refreshes.
//   - no Authorization → 403 "Permission Denied"; an expired token → 400 "Token has expired";
//     an unknown token → 500 "Internal Error" (a jwt error NPM does not make public).
//   - GET /api/nginx/proxy-hosts?query=Q is a LIKE '%Q%' on the JSON text of domain_names.
//   - POST/PUT bodies: additionalProperties false, required fields, types; a domain another host
//     holds → 400 "X is already in use". POST → 201 (the row as it was before nginx was
//     configured), PUT → 200 (with the new meta), DELETE → 200 true.
//   - every write "tests nginx": a host `rejects` names gets meta.nginx_online false and its config
//     removed, as NPM does; a disabled host has no config; /enable on an enabled host → 400.
// Errors are {error: {code, message}}. Every request is recorded; `served` is what nginx would
// route right now, the thing a deploy must never leave missing.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  auth?: string;
  body?: unknown;
}

export interface NpmRow {
  id: number;
  created_on: string;
  modified_on: string;
  owner_user_id: number;
  domain_names: string[];
  forward_scheme: string;
  forward_host: string;
  forward_port: number;
  access_list_id: number;
  certificate_id: number;
  ssl_forced: boolean;
  caching_enabled: boolean;
  block_exploits: boolean;
  advanced_config: string;
  meta: Record<string, unknown>;
  allow_websocket_upgrade: boolean;
  http2_support: boolean;
  enabled: boolean;
  locations: unknown[];
  hsts_enabled: boolean;
  hsts_subdomains: boolean;
  trust_forwarded_proto: boolean;
  is_deleted: boolean;
}

const WRITABLE = new Set([
  "domain_names",
  "forward_scheme",
  "forward_host",
  "forward_port",
  "certificate_id",
  "ssl_forced",
  "hsts_enabled",
  "hsts_subdomains",
  "trust_forwarded_proto",
  "http2_support",
  "block_exploits",
  "caching_enabled",
  "allow_websocket_upgrade",
  "access_list_id",
  "advanced_config",
  "enabled",
  "meta",
  "locations",
]);
const BOOLEANS = [
  "ssl_forced",
  "hsts_enabled",
  "hsts_subdomains",
  "trust_forwarded_proto",
  "http2_support",
  "block_exploits",
  "caching_enabled",
  "allow_websocket_upgrade",
  "enabled",
];
const DOMAIN = /^[^&| @!#%^();:/\\}{=+?<>,~`'"]+$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Ajv's errorsText for the first problem, as NPM's validator returns it. */
function validate(body: unknown, mode: "create" | "update"): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "data must be object");
  }
  const b = body as Record<string, unknown>;
  if (mode === "create") {
    for (const k of ["domain_names", "forward_scheme", "forward_host", "forward_port"]) {
      if (!(k in b)) throw new HttpError(400, `data must have required property '${k}'`);
    }
  } else if (Object.keys(b).length < 1) {
    throw new HttpError(400, "data must NOT have fewer than 1 properties");
  }
  for (const k of Object.keys(b)) {
    if (!WRITABLE.has(k)) throw new HttpError(400, "data must NOT have additional properties");
  }
  if ("domain_names" in b) {
    const d = b.domain_names;
    if (!Array.isArray(d) || d.length < 1)
      throw new HttpError(400, "data/domain_names must NOT have fewer than 1 items");
    for (const [i, name] of d.entries()) {
      if (typeof name !== "string" || !DOMAIN.test(name)) {
        throw new HttpError(400, `data/domain_names/${i} must match pattern "${DOMAIN.source}"`);
      }
    }
  }
  if ("forward_scheme" in b && b.forward_scheme !== "http" && b.forward_scheme !== "https") {
    throw new HttpError(400, "data/forward_scheme must be equal to one of the allowed values");
  }
  if ("forward_host" in b && (typeof b.forward_host !== "string" || b.forward_host.length < 1)) {
    throw new HttpError(400, "data/forward_host must NOT have fewer than 1 characters");
  }
  if ("forward_port" in b) {
    const p = b.forward_port;
    if (typeof p !== "number" || !Number.isInteger(p))
      throw new HttpError(400, "data/forward_port must be integer");
    if (p < 1 || p > 65535) throw new HttpError(400, "data/forward_port must be <= 65535");
  }
  for (const k of BOOLEANS) {
    if (k in b && typeof b[k] !== "boolean") throw new HttpError(400, `data/${k} must be boolean`);
  }
  if (
    "certificate_id" in b &&
    !(b.certificate_id === "new" || (Number.isInteger(b.certificate_id) && (b.certificate_id as number) >= 0))
  ) {
    throw new HttpError(400, "data/certificate_id must match a schema in anyOf");
  }
  if ("meta" in b && (typeof b.meta !== "object" || b.meta === null))
    throw new HttpError(400, "data/meta must be object");
}

const now = () => new Date().toISOString();

export class FakeNpm {
  readonly requests: RecordedRequest[] = [];
  readonly users = [{ id: 1, email: "admin@example.com", password: "changeme" }];
  readonly rows: NpmRow[] = [];
  /** Domains held by redirection or 404 hosts: in use, but not proxy hosts. */
  readonly otherDomains: string[] = [];
  /** Domains whose generated config `nginx -t` rejects (e.g. a bad advanced config). */
  readonly rejects = new Set<string>();
  /** Forward targets (`host:port`) nginx rejects, like a container name it cannot resolve. */
  readonly rejectUpstreams = new Set<string>();
  /** What nginx serves now, by domain: `host:port` (absent = no config for it). */
  readonly served = new Map<string, string>();
  /** Test + reload cycles nginx went through. */
  reloads = 0;
  tokenTtlMs = 24 * 3600 * 1000;
  port = 0;
  private readonly tokens = new Map<string, { userId: number; expiresAt: number }>();
  private server?: http.Server;
  private nextId = 1;

  async start(): Promise<number> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** A valid token, as a login would give (for tests that start from a token). */
  issueToken(ttlMs = this.tokenTtlMs): string {
    const token = `eyJ.${randomBytes(12).toString("base64url")}`;
    this.tokens.set(token, { userId: 1, expiresAt: Date.now() + ttlMs });
    return token;
  }

  /** Every token issued so far is now expired. */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = Date.now() - 1000;
  }

  /** `METHOD /path` of every request, in order. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  /** Adds a proxy host directly, as a person in NPM's UI would. */
  seed(fields: Partial<NpmRow> & Pick<NpmRow, "domain_names" | "forward_host" | "forward_port">): NpmRow {
    const row = this.newRow(fields);
    this.rows.push(row);
    if (row.enabled) this.configure(row);
    return row;
  }

  private newRow(fields: Partial<NpmRow>): NpmRow {
    return {
      id: this.nextId++,
      created_on: now(),
      modified_on: now(),
      owner_user_id: 1,
      domain_names: [],
      forward_scheme: "http",
      forward_host: "",
      forward_port: 80,
      access_list_id: 0,
      certificate_id: 0,
      ssl_forced: false,
      caching_enabled: false,
      block_exploits: false,
      advanced_config: "",
      meta: {},
      allow_websocket_upgrade: false,
      http2_support: false,
      enabled: true,
      locations: [],
      hsts_enabled: false,
      hsts_subdomains: false,
      trust_forwarded_proto: false,
      is_deleted: false,
      ...fields,
    };
  }

  private live(): NpmRow[] {
    return this.rows.filter((r) => !r.is_deleted);
  }

  /** What NPM returns: is_deleted is omitted from every row. */
  private view(row: NpmRow): Omit<NpmRow, "is_deleted"> {
    const { is_deleted: _, ...rest } = structuredClone(row);
    return rest;
  }

  /** internal/nginx.js configure(): test, write, test again; a failing host loses its config. */
  private configure(row: NpmRow): void {
    this.reloads++;
    const target = `${row.forward_host}:${row.forward_port}`;
    const error = row.domain_names.some((d) => this.rejects.has(d))
      ? `nginx: [emerg] invalid config for host ${row.id}`
      : this.rejectUpstreams.has(target)
        ? `nginx: [emerg] host not found in upstream "${target}"`
        : undefined;
    if (error) {
      row.meta = { ...row.meta, nginx_online: false, nginx_err: error };
      for (const d of row.domain_names) this.served.delete(d);
      return;
    }
    row.meta = { ...row.meta, nginx_online: true, nginx_err: null };
    for (const d of row.domain_names) this.served.set(d, `${row.forward_host}:${row.forward_port}`);
  }

  private unconfigure(row: NpmRow): void {
    this.reloads++;
    for (const d of row.domain_names) this.served.delete(d);
  }

  private inUse(domains: string[], exceptId?: number): void {
    for (const d of domains) {
      const taken =
        this.otherDomains.includes(d) ||
        this.live().some((r) => r.id !== exceptId && r.domain_names.includes(d));
      if (taken) throw new HttpError(400, `${d} is already in use`);
    }
  }

  private auth(req: http.IncomingMessage): number {
    const parts = (req.headers.authorization ?? "").split(" ");
    const token = parts[0] === "Bearer" && parts[1] ? parts[1] : undefined;
    if (!token) throw new HttpError(403, "Permission Denied");
    const t = this.tokens.get(token);
    if (!t) throw new HttpError(500, "Internal Error");
    if (t.expiresAt <= Date.now()) throw new HttpError(400, "Token has expired");
    return t.userId;
  }

  private row(id: string): NpmRow {
    const row = this.live().find((r) => r.id === Number(id));
    if (!row) throw new HttpError(404, `Not Found - ${id}`);
    return row;
  }

  private login(): { token: string; expires: string } {
    const token = this.issueToken();
    return { token, expires: new Date(this.tokens.get(token)!.expiresAt).toISOString() };
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    req: http.IncomingMessage,
    body: unknown,
  ): [number, unknown] {
    if (path === "/api/tokens" && method === "POST") {
      const b = (body ?? {}) as Record<string, unknown>;
      for (const k of Object.keys(b)) {
        if (!["identity", "secret", "scope", "expiry"].includes(k))
          throw new HttpError(400, "data must NOT have additional properties");
      }
      const user = this.users.find(
        (u) =>
          u.email ===
          String(b.identity ?? "")
            .toLowerCase()
            .trim(),
      );
      if (!user || user.password !== b.secret) throw new HttpError(400, "Invalid email or password");
      return [200, this.login()];
    }
    if (path === "/api/tokens" && method === "GET") {
      this.auth(req);
      return [200, this.login()];
    }
    const hosts = /^\/api\/nginx\/proxy-hosts(?:\/(\d+)(?:\/(enable|disable))?)?$/.exec(path);
    if (!hosts) throw new HttpError(404, "Not Found");
    this.auth(req);
    const [, id, action] = hosts;
    if (!id && method === "GET") {
      const q = query.get("query");
      const rows = this.live()
        .filter((r) => !q || JSON.stringify(r.domain_names).toLowerCase().includes(q.toLowerCase()))
        .sort((a, b) => JSON.stringify(a.domain_names).localeCompare(JSON.stringify(b.domain_names)));
      return [200, rows.map((r) => this.view(r))];
    }
    if (!id && method === "POST") {
      validate(body, "create");
      const b = body as Partial<NpmRow>;
      this.inUse(b.domain_names!);
      const row = this.newRow({ ...b, meta: { ...(b.meta ?? {}) } });
      this.rows.push(row);
      const before = this.view(row);
      if (row.enabled) this.configure(row);
      return [201, before];
    }
    if (id && !action && method === "GET") return [200, this.view(this.row(id))];
    if (id && !action && method === "PUT") {
      validate(body, "update");
      const row = this.row(id);
      const b = body as Partial<NpmRow>;
      if (b.domain_names) this.inUse(b.domain_names, row.id);
      Object.assign(row, b, { modified_on: now() });
      if (row.enabled) this.configure(row);
      return [200, this.view(row)];
    }
    if (id && !action && method === "DELETE") {
      const row = this.row(id);
      row.is_deleted = true;
      this.unconfigure(row);
      return [200, true];
    }
    if (id && action && method === "POST") {
      const row = this.row(id);
      if (action === "enable") {
        if (row.enabled) throw new HttpError(400, "Host is already enabled");
        row.enabled = true;
        this.configure(row);
      } else {
        if (!row.enabled) throw new HttpError(400, "Host is already disabled");
        row.enabled = false;
        this.unconfigure(row);
      }
      return [200, true];
    }
    throw new HttpError(404, "Not Found");
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      text += c;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://npm.invalid");
      let body: unknown;
      let status: number;
      let payload: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      this.requests.push({
        method: req.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
        ...(body !== undefined ? { body } : {}),
      });
      try {
        if (typeof body === "string") throw new HttpError(400, "Unexpected token in JSON");
        [status, payload] = this.route(req.method ?? "GET", url.pathname, url.searchParams, req, body);
      } catch (e) {
        const err = e instanceof HttpError ? e : new HttpError(500, "Internal Error");
        [status, payload] = [err.status, { error: { code: err.status, message: err.message } }];
      }
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(payload));
    });
  }
}
