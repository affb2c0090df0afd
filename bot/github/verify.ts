// POST /api/github/webhooks: GitHub signs each delivery (X-Hub-Signature-256: "sha256=" + hex
// HMAC-SHA256 of the raw body with the App's webhook secret). The signature is checked here, once:
// a missing or wrong one is 401 (@octokit/webhooks would answer 400, which reads as a malformed
// request rather than an unauthenticated one) and nothing is parsed. A verified delivery goes to
// Probot's receive() — its handlers, its per-delivery Octokit — without Probot's middleware, which
// would read the body and verify the same signature a second time on the way to the pending status.
// The other answers are the middleware's: 415 for a body that is not JSON by its content type, 400
// for missing headers or unparsable JSON, 202 when the handlers outlast GitHub's patience, 200 "ok".
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorMessage } from "../../src/errors.js";
import { SeenDeliveries } from "../forge/deliveries.js";
import type { Logger } from "../forge/types.js";
import { readBody } from "../server.js";

export function githubSignature(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function verifyGitHub(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== "string" || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return false;
  const want = Buffer.from(githubSignature(secret, body));
  const got = Buffer.from(header.trim().toLowerCase());
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A delivery whose signature was verified: what Probot's receive() takes. */
export interface GitHubDelivery {
  id: string;
  name: string;
  payload: unknown;
}

export interface GitHubReceiverOptions {
  /** Largest body accepted (GitHub caps deliveries at 25 MB). */
  maxBytes?: number;
  seen?: SeenDeliveries;
  /** Handlers still running after this are answered 202 (GitHub gives up at 10 s). */
  answerWithinMs?: number;
}

const JSON_TYPE = /^\s*application\/json\s*(?:;|$)/i;

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(`${JSON.stringify(body)}\n`);
}

export function githubReceiver(
  secret: string,
  receive: (delivery: GitHubDelivery) => Promise<unknown>,
  log: Logger,
  opts: GitHubReceiverOptions = {},
) {
  const seen = opts.seen ?? new SeenDeliveries();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, opts.maxBytes ?? 25 * 1024 * 1024);
    if (!body) return reply(res, 413, { error: "payload too large" });
    if (!verifyGitHub(secret, body, req.headers["x-hub-signature-256"]))
      return reply(res, 401, { error: "signature missing or wrong (X-Hub-Signature-256, WEBHOOK_SECRET)" });
    if (!seen.first(req.headers["x-github-delivery"]))
      return reply(res, 200, { ok: true, result: "ignored: delivery already processed" });
    const delivery = parse(req, body);
    if ("status" in delivery) return reply(res, delivery.status, { error: delivery.error });
    await answer(res, receive(delivery), log, delivery, opts.answerWithinMs ?? 9000);
  };
}

/** The delivery in a verified request, or why it is refused. */
function parse(req: IncomingMessage, body: Buffer): GitHubDelivery | { status: number; error: string } {
  const type = req.headers["content-type"];
  if (typeof type !== "string" || !JSON_TYPE.test(type))
    return { status: 415, error: 'Unsupported "Content-Type" header value. Must be "application/json"' };
  const name = req.headers["x-github-event"];
  const id = req.headers["x-github-delivery"];
  if (typeof name !== "string" || typeof id !== "string") {
    const missing = ["x-github-event", "x-github-delivery"].filter((h) => typeof req.headers[h] !== "string");
    return { status: 400, error: `Required headers missing: ${missing.join(", ")}` };
  }
  try {
    return { id, name, payload: JSON.parse(body.toString("utf8")) };
  } catch {
    return { status: 400, error: "Invalid JSON" };
  }
}

/** 200 once the handlers are done (what they accepted is on disk), their failure's status, or 202. */
async function answer(
  res: ServerResponse,
  handled: Promise<unknown>,
  log: Logger,
  d: GitHubDelivery,
  withinMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), withinMs);
  });
  try {
    if ((await Promise.race([handled.then(() => "done" as const), late])) === "late") {
      res.writeHead(202, { "content-type": "text/plain" });
      res.end("still processing\n");
      // Still awaited: its failure is logged, and nothing is left unhandled.
      await handled;
      return;
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok\n");
  } catch (e) {
    // @octokit/webhooks rejects with an AggregateError of the handlers' errors.
    const first = e instanceof AggregateError ? e.errors[0] : e;
    const status = (first as { status?: unknown } | undefined)?.status;
    log.error(`github ${d.name} ${d.id}: ${errorMessage(first)}`);
    reply(res, typeof status === "number" && status >= 400 && status <= 599 ? status : 500, {
      error: "the delivery's handler failed",
    });
  } finally {
    clearTimeout(timer);
  }
}
