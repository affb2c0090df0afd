// POST /api/gitea/webhooks: a signed Gitea delivery → the same flows as GitHub's. A bad or
// missing signature is 401 and nothing is acted on; an event we do not act on is 200 (Gitea would
// otherwise show the hook as failing); the answer comes at once, the deploy runs in the background.
// A repository with a secret of its own (projects.P.webhook_secret) is signed with that one only:
// whoever set up another repository's hook knows the shared secret, and must not be able to sign
// deliveries that say they come from this one. So the body is parsed (as JSON, nothing more) to
// find its repository before the signature is checked.
import type { IncomingMessage, ServerResponse } from "node:http";
// zod/mini, as src/config: a bundle's chunks are shared by the CLI and the bot, and classic zod here
// would put all of zod in the chunk the CLI's validator loads.
import { array, boolean, int, looseObject, nullish, optional, positive, string, unknown } from "zod/mini";
import { SeenDeliveries } from "../forge/deliveries.js";
import type { ForgeFlows } from "../forge/flows.js";
import type { Logger, RepoApi } from "../forge/types.js";
import { readBody } from "../server.js";
import { verifyGitea } from "./verify.js";

export interface GiteaReceiverDeps {
  /** GITEA_WEBHOOK_SECRET: for the repositories without a secret of their own. */
  secret?: string;
  /** By lower-case "owner/name": the repositories' own secrets. */
  repoSecrets?: ReadonlyMap<string, string>;
  flows: ForgeFlows;
  api: (repo: string) => RepoApi;
  log: Logger;
  /** Largest body accepted (GitHub caps deliveries at 25 MB; Gitea's are smaller). */
  maxBytes?: number;
}

const ALREADY = { ok: true, result: "ignored: delivery already processed" };

const repository = looseObject({ full_name: string() });

const pushPayload = looseObject({
  ref: string(),
  after: string(),
  repository,
});

const pullPayload = looseObject({
  action: string(),
  number: int().check(positive()),
  pull_request: looseObject({
    head: looseObject({
      sha: string(),
      ref: string(),
      repo: nullish(looseObject({ full_name: string() })),
    }),
    labels: nullish(array(looseObject({ name: string() }))),
  }),
  repository,
});

const commentPayload = looseObject({
  action: string(),
  is_pull: optional(boolean()),
  issue: looseObject({ number: int().check(positive()), pull_request: optional(unknown()) }),
  comment: looseObject({
    id: int(),
    body: string(),
    user: looseObject({ login: string() }),
  }),
  sender: optional(looseObject({ login: string() })),
  repository,
});

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(`${JSON.stringify(body)}\n`);
}

export function giteaReceiver(deps: GiteaReceiverDeps) {
  const seen = new SeenDeliveries();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, deps.maxBytes ?? 25 * 1024 * 1024);
    if (!body) return reply(res, 413, { error: "payload too large" });
    const payload = parsed(body);
    const secret = secretFor(deps, payload);
    if (!secret || !verifyGitea(secret, body, req.headers["x-gitea-signature"]))
      return reply(res, 401, {
        error:
          "signature missing or wrong (X-Gitea-Signature, GITEA_WEBHOOK_SECRET or the project's webhook_secret)",
      });
    if (!seen.first(req.headers["x-gitea-delivery"])) return reply(res, 200, ALREADY);
    if (payload === undefined)
      return reply(res, 400, { error: "body is not JSON (set the hook's content type to application/json)" });
    const event = String(req.headers["x-gitea-event"] ?? "");
    const result = dispatch(deps, event, payload);
    if (result === undefined) return reply(res, 400, { error: `${event} payload is not one Gitea sends` });
    deps.log.info(`gitea ${event}: ${result}`);
    // Answered only once what it accepted is on disk (bot/inbox.ts).
    await deps.flows.durable();
    reply(res, 200, { ok: true, result });
  };
}

function parsed(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** The secret the delivery must be signed with: its repository's own, else the shared one. */
function secretFor(deps: GiteaReceiverDeps, payload: unknown): string | undefined {
  const repo = (payload as { repository?: { full_name?: unknown } } | undefined)?.repository?.full_name;
  const own = typeof repo === "string" ? deps.repoSecrets?.get(repo.toLowerCase()) : undefined;
  return own ?? deps.secret;
}

/** What the event led to, or undefined when the payload does not parse. */
function dispatch(deps: GiteaReceiverDeps, event: string, payload: unknown): string | undefined {
  if (event === "push") {
    const p = pushPayload.safeParse(payload);
    if (!p.success) return undefined;
    const { ref, after } = p.data;
    return deps.flows.push(deps.api(p.data.repository.full_name), {
      ref,
      after,
      deleted: /^0+$/.test(after),
    });
  }
  if (event === "pull_request") {
    const p = pullPayload.safeParse(payload);
    if (!p.success) return undefined;
    const pr = p.data.pull_request;
    return deps.flows.pullRequest(deps.api(p.data.repository.full_name), {
      // Gitea says "synchronized" where GitHub says "synchronize".
      action: p.data.action === "synchronized" ? "synchronize" : p.data.action,
      number: p.data.number,
      headSha: pr.head.sha,
      headRef: pr.head.ref,
      headRepo: pr.head.repo?.full_name ?? null,
      labels: (pr.labels ?? []).map((l) => l.name),
    });
  }
  // A comment on a PR arrives as issue_comment (X-Gitea-Event-Type: pull_request_comment).
  if (event === "issue_comment" || event === "pull_request_comment") {
    const p = commentPayload.safeParse(payload);
    if (!p.success) return undefined;
    if (p.data.action !== "created") return `ignored: comment ${p.data.action}`;
    const c = p.data.comment;
    return deps.flows.comment(deps.api(p.data.repository.full_name), {
      issue: p.data.issue.number,
      isPull: p.data.is_pull ?? Boolean(p.data.issue.pull_request),
      commentId: c.id,
      body: c.body,
      user: c.user.login,
      bot: false,
    });
  }
  return `ignored: ${event || "no X-Gitea-Event"}`;
}
