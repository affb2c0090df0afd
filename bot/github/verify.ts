// A gate in front of Probot's middleware: GitHub signs each delivery (X-Hub-Signature-256:
// "sha256=" + hex HMAC-SHA256 of the raw body with the App's webhook secret). A missing or wrong
// signature is refused here with 401 — @octokit/webhooks would answer 400, which reads as a
// malformed request rather than an unauthenticated one. Probot still verifies again: the gate only
// decides the status code, it does not replace that check. The body read here is handed on as
// req.body, which @octokit/webhooks uses instead of the (consumed) stream.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SeenDeliveries } from "../forge/deliveries.js";
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

export function signatureGate(
  secret: string,
  next: (req: IncomingMessage, res: ServerResponse) => unknown,
  maxBytes = 25 * 1024 * 1024,
  seen = new SeenDeliveries(),
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, maxBytes);
    const refuse = (status: number, error: string) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(`${JSON.stringify({ error })}\n`);
    };
    if (!body) return refuse(413, "payload too large");
    if (!verifyGitHub(secret, body, req.headers["x-hub-signature-256"]))
      return refuse(401, "signature missing or wrong (X-Hub-Signature-256, WEBHOOK_SECRET)");
    if (!seen.first(req.headers["x-github-delivery"])) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`${JSON.stringify({ ok: true, result: "ignored: delivery already processed" })}\n`);
      return;
    }
    req.body = body.toString("utf8");
    await next(req, res);
  };
}
