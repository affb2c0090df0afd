// Nginx Proxy Manager's API with its token: login with POST /api/tokens {identity, secret}, send
// `Authorization: Bearer TOKEN`, and when NPM answers 400 "Token has expired" log in again once and
// repeat the request. Credentials come from the environment (TINYFORGE_PROXY_USER/_PASSWORD or
// TINYFORGE_PROXY_TOKEN), read at the edge and handed in as ProxySecrets.
import { TinyforgeError } from "../../errors.js";
import { type AdminApi, clip, type JsonResponse } from "./admin-api.js";

export interface NpmCredentials {
  user?: string;
  password?: string;
  token?: string;
}

const CREDENTIALS_HINT =
  "set TINYFORGE_PROXY_USER and TINYFORGE_PROXY_PASSWORD (an NPM user allowed to manage proxy hosts), or TINYFORGE_PROXY_TOKEN";

/** NPM's error body: {error: {code, message}}. */
export function npmMessage(r: JsonResponse): string | undefined {
  const m = (r.json as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof m === "string" ? m : undefined;
}

function expired(r: JsonResponse): boolean {
  return r.status === 400 && /token has expired/i.test(npmMessage(r) ?? "");
}

/** The error for credentials NPM cannot be used with; undefined when they will do. */
export function npmCredentialsProblem(creds: NpmCredentials): TinyforgeError | undefined {
  if (creds.token || (creds.user && creds.password)) return undefined;
  return new TinyforgeError("usage", "proxy.driver npm: no Nginx Proxy Manager credentials", {
    hint: CREDENTIALS_HINT,
  });
}

export class NpmClient {
  private token: string | undefined;
  /** From the login answer; a token this close to its end is replaced before use. */
  private expiresAt: number | undefined;

  constructor(
    private readonly api: AdminApi,
    private readonly creds: NpmCredentials,
  ) {
    const problem = npmCredentialsProblem(creds);
    if (problem) throw problem;
    this.token = creds.token;
  }

  /** METHOD /api/PATH with the token; an expired token is renewed once. */
  async request(method: string, path: string, body?: unknown): Promise<JsonResponse> {
    let token = await this.currentToken();
    let r = await this.api.call(method, `/api${path}`, body, { authorization: `Bearer ${token}` });
    if (expired(r)) {
      if (!this.canLogin()) {
        throw new TinyforgeError("deploy_failed", "Nginx Proxy Manager: TINYFORGE_PROXY_TOKEN has expired", {
          hint: CREDENTIALS_HINT,
        });
      }
      this.token = undefined;
      token = await this.currentToken();
      r = await this.api.call(method, `/api${path}`, body, { authorization: `Bearer ${token}` });
    }
    if (r.status === 403 || r.status === 401) {
      throw new TinyforgeError(
        "deploy_failed",
        `Nginx Proxy Manager refused ${method} /api${path}: HTTP ${r.status}${npmMessage(r) ? ` ${clip(npmMessage(r)!)}` : ""}`,
        { hint: CREDENTIALS_HINT },
      );
    }
    return r;
  }

  private canLogin(): boolean {
    return !!(this.creds.user && this.creds.password);
  }

  private async currentToken(): Promise<string> {
    const stale = this.expiresAt !== undefined && Date.now() > this.expiresAt - 30_000;
    if (this.token && !stale) return this.token;
    if (!this.canLogin()) return this.token!;
    const r = await this.api.call("POST", "/api/tokens", {
      identity: this.creds.user,
      secret: this.creds.password,
    });
    const answer = r.json as { token?: unknown; expires?: unknown; requires_2fa?: unknown } | undefined;
    if (r.status === 200 && answer?.requires_2fa) {
      throw new TinyforgeError("deploy_failed", "Nginx Proxy Manager login needs a 2FA code", {
        hint: "use an NPM user without 2FA for deploys, or set TINYFORGE_PROXY_TOKEN",
      });
    }
    if (r.status !== 200 || typeof answer?.token !== "string") {
      throw new TinyforgeError(
        "deploy_failed",
        `Nginx Proxy Manager login failed: HTTP ${r.status}${npmMessage(r) ? ` ${clip(npmMessage(r)!)}` : ""}`,
        { hint: CREDENTIALS_HINT },
      );
    }
    this.token = answer.token;
    const exp = typeof answer.expires === "string" ? Date.parse(answer.expires) : Number.NaN;
    this.expiresAt = Number.isFinite(exp) ? exp : undefined;
    return this.token;
  }
}
