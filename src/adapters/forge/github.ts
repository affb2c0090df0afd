// GitHub (and GitHub Enterprise) over @octokit/rest: commit statuses and the Deployments API.
// Octokit's own errors quote the response body ("Bad credentials - https://…"), so every call is
// wrapped and rethrown naming the HTTP status only; its fetch is our guarded one.
import type { Octokit } from "@octokit/rest";
import { HttpStatusError, OutboundError, safeFetch } from "../../net/fetch.js";
import type {
  CommitStatus,
  Deployments,
  DeploymentRequest,
  DeploymentStatus,
  Forge,
} from "../../ports/forge.js";
import { splitRepo, trimSlash } from "./repo.js";

export function githubStatusParams(repo: string, s: CommitStatus) {
  const { owner, name } = splitRepo(repo);
  return {
    owner,
    repo: name,
    sha: s.sha,
    state: s.state,
    context: s.context,
    description: s.description,
    ...(s.targetUrl ? { target_url: s.targetUrl } : {}),
  };
}

export function githubDeploymentParams(repo: string, d: DeploymentRequest) {
  const { owner, name } = splitRepo(repo);
  return {
    owner,
    repo: name,
    ref: d.sha,
    task: "deploy",
    environment: d.environment,
    transient_environment: d.transient,
    description: d.description,
    // A deploy tool must not merge branches, and must not wait for its own pending status:
    // by default GitHub refuses a deployment while any status on the ref is not success (409).
    // The checks the bot waited for are listed, so GitHub shows (and verifies) what gated it.
    auto_merge: false,
    required_contexts: [...(d.requiredContexts ?? [])],
  };
}

export function githubDeploymentStatusParams(repo: string, id: number, s: DeploymentStatus) {
  const { owner, name } = splitRepo(repo);
  return {
    owner,
    repo: name,
    deployment_id: id,
    state: s.state,
    description: s.description,
    ...(s.environmentUrl ? { environment_url: s.environmentUrl } : {}),
  };
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** How many clients are kept: one per token in use (the bot: one per installation and hour). */
const KEPT_CLIENTS = 16;
const clients = new Map<string, Promise<Octokit>>();

/**
 * The Octokit for one token on one API, built once and reused by every deploy that reports with
 * that token (the bot's installation token serves every deploy of the hour): building one per
 * deploy cost each pending status a few milliseconds. A new token (the installation's next one)
 * gets its own client; the least recently used are dropped past KEPT_CLIENTS, and with them the
 * tokens they hold.
 */
export function githubClient(api: string, token: string, timeoutMs: number): Promise<Octokit> {
  const key = `${trimSlash(api)}\n${timeoutMs}\n${token}`;
  let client = clients.get(key);
  if (client) {
    // Most recently used last: the Map's order is the eviction order.
    clients.delete(key);
  } else {
    // Loaded on first use: a deploy parses Octokit only when it reports to GitHub, and then
    // while its SSH connection is being set up rather than before.
    client = import("@octokit/rest").then(
      ({ Octokit }) =>
        new Octokit({
          auth: token,
          baseUrl: trimSlash(api),
          userAgent: "tinyforge",
          // Octokit's request log prints to the console: our warnings go through the deploy's events.
          log: silent,
          request: {
            fetch: (url: string, init: Parameters<typeof safeFetch>[1]) =>
              safeFetch(url, { ...init, timeoutMs }),
          },
        }),
    );
    client.catch(() => clients.delete(key));
  }
  clients.set(key, client);
  while (clients.size > KEPT_CLIENTS) clients.delete(clients.keys().next().value!);
  return client;
}

export class GitHubForge implements Forge, Deployments {
  readonly kind = "github";
  readonly descriptionLimit = 140;
  private readonly octokit: Promise<Octokit>;

  constructor(
    api: string,
    private readonly repo: string,
    token: string,
    timeoutMs: number,
  ) {
    this.octokit = githubClient(api, token, timeoutMs);
  }

  async setStatus(s: CommitStatus): Promise<void> {
    await this.call("GitHub", (octokit) =>
      octokit.rest.repos.createCommitStatus(githubStatusParams(this.repo, s)),
    );
  }

  async createDeployment(d: DeploymentRequest): Promise<number> {
    const res = await this.call("GitHub", (octokit) =>
      octokit.rest.repos.createDeployment(githubDeploymentParams(this.repo, d)),
    );
    // 202 is "auto-merged, no deployment": cannot happen with auto_merge false, but has no id.
    const id = (res.data as { id?: unknown }).id;
    if (typeof id !== "number")
      throw new OutboundError(`GitHub answered HTTP ${res.status} without a deployment`);
    return id;
  }

  async setDeploymentStatus(id: number, s: DeploymentStatus): Promise<void> {
    await this.call("GitHub", (octokit) =>
      octokit.rest.repos.createDeploymentStatus(githubDeploymentStatusParams(this.repo, id, s)),
    );
  }

  private async call<T extends { status: number }>(
    what: string,
    fn: (octokit: Octokit) => Promise<T>,
  ): Promise<T> {
    const octokit = await this.octokit;
    let res: T;
    try {
      res = await fn(octokit);
    } catch (e) {
      // Octokit wraps a fetch failure as status 500 with our OutboundError as its cause.
      const cause = (e as { cause?: unknown }).cause;
      if (cause instanceof OutboundError) throw new OutboundError(`${what}: ${cause.message}`);
      const status = (e as { status?: unknown }).status;
      if (typeof status === "number" && (e as { response?: unknown }).response)
        throw new HttpStatusError(status, what);
      throw new OutboundError(`${what}: request failed`);
    }
    // Octokit passes 3xx through as success; a redirect we did not follow is a failure here.
    if (res.status < 200 || res.status > 299) throw new HttpStatusError(res.status, what);
    return res;
  }
}
