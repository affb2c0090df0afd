// A proxy's admin API as the drivers use it: JSON over host.httpRequest, so it is reached on the
// host's loopback through the deploy's one SSH connection (TESTBED: forwardOut + HTTP in 2-5 ms),
// never from the runner. Transport failures become one coded error that says what to check.
import { errorMessage, TinyforgeError } from "../../errors.js";
import type { Host, HttpResponse } from "../../ports/host.js";

export interface AdminEndpoint {
  port: number;
  /** Caddy refuses a Host that is not its listen address (DNS-rebinding protection). */
  hostHeader: string;
  /** Path prefix from the URL, without a trailing slash ("" for none). */
  base: string;
}

/** The config schema already allows only http://127.0.0.1 or localhost. */
export function adminEndpoint(url: string): AdminEndpoint {
  const u = new URL(url);
  const port = u.port ? Number(u.port) : 80;
  return { port, hostHeader: u.host, base: u.pathname.replace(/\/+$/, "") };
}

export interface JsonResponse {
  status: number;
  /** Headers and trailers, lower-case names. */
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  json: unknown;
}

export class AdminApi {
  constructor(
    private readonly host: Host,
    private readonly endpoint: AdminEndpoint,
    /** "the caddy admin API", for messages. */
    private readonly what: string,
    private readonly hint: string,
    private readonly timeoutMs = 30_000,
    /**
     * Extra attempts after a transport failure (reset, refused). Only for callers whose writes are
     * safe to repeat: Caddy restarts its admin listener on every config load, so a concurrent
     * client can see its connection reset.
     */
    private readonly retries = 0,
  ) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    /** Send a string body as it is (e.g. a Caddyfile to adapt), not as JSON. */
    raw = false,
  ): Promise<JsonResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, path, body, headers, raw);
      } catch (e) {
        if (attempt >= this.retries || (e as TinyforgeError).code !== "deploy_failed") throw e;
        await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
      }
    }
  }

  private async once(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    raw: boolean,
  ): Promise<JsonResponse> {
    let res: HttpResponse;
    try {
      res = await this.host.httpRequest(this.endpoint.port, {
        method,
        path: `${this.endpoint.base}${path}`,
        headers: {
          host: this.endpoint.hostHeader,
          accept: "application/json",
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: raw ? String(body) : JSON.stringify(body) } : {}),
        timeoutMs: this.timeoutMs,
      });
    } catch (e) {
      throw new TinyforgeError(
        "deploy_failed",
        `cannot reach ${this.what} at 127.0.0.1:${this.endpoint.port} on ${this.host.name} (${method} ${path}: ${errorMessage(e)})`,
        { hint: this.hint, cause: e },
      );
    }
    return { status: res.status, headers: res.headers, body: res.body, json: parseJson(res.body) };
  }
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** At most n characters of an upstream message, on one line. */
export function clip(text: string, n = 300): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
