// Calls to the Gitea API with the bot's token (GITEA_TOKEN), through the guarded client: errors
// name the call and the HTTP status, never a word of the answer (it could echo the token).
import type { ForgeCredentials } from "../../src/app/credentials.js";
import { trimSlash } from "../../src/adapters/forge/repo.js";
import { DEFAULT_TIMEOUT_MS, HttpStatusError, OutboundError, safeFetch } from "../../src/net/fetch.js";

export interface GiteaAnswer {
  status: number;
  text: string;
}

export class GiteaClient {
  /** GITEA_URL/api/v1. */
  readonly api: string;

  constructor(
    baseUrl: string,
    readonly token: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    const base = trimSlash(baseUrl);
    this.api = /\/api\/v1$/.test(base) ? base : `${base}/api/v1`;
  }

  /** One call; `ok` lists the statuses that are answers rather than failures (e.g. 404 = absent). */
  async call(method: string, path: string, body?: unknown, ok: number[] = []): Promise<GiteaAnswer> {
    let res: Response;
    try {
      res = await safeFetch(`${this.api}${path}`, {
        method,
        headers: {
          authorization: `token ${this.token}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: this.timeoutMs,
      });
    } catch (e) {
      throw new OutboundError(`Gitea ${method} ${path.split("?")[0]}: ${(e as Error).message}`);
    }
    const text = await res.text().catch(() => "");
    if ((res.status < 200 || res.status > 299) && !ok.includes(res.status))
      throw new HttpStatusError(res.status, `Gitea ${method} ${path.split("?")[0]}`);
    return { status: res.status, text };
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { text } = await this.call(method, path, body);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new OutboundError(`Gitea ${method} ${path.split("?")[0]}: the answer is not JSON`);
    }
  }
}

/** "/repos/owner/name" with both parts encoded. */
export function repoPath(repo: string): string {
  const [owner = "", name = ""] = repo.split("/");
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

/** A Gitea repository's reporters: the bot's token, its kind said outright (not guessed from env). */
export function giteaCredentials(client: GiteaClient, repo: string): ForgeCredentials {
  return { kind: "gitea", tokens: { gitea: client.token }, actions: { api: client.api, repo } };
}
