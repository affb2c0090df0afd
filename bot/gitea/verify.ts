// Gitea signs each delivery: X-Gitea-Signature is the hex HMAC-SHA256 of the raw body with the
// webhook's secret. Checked before the body is even parsed; separate from dispatch, like
// @octokit/webhooks' verify.
import { createHmac, timingSafeEqual } from "node:crypto";

export function giteaSignature(secret: string, body: Buffer | string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

export function verifyGitea(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== "string" || !/^[0-9a-f]{64}$/i.test(header.trim())) return false;
  const want = Buffer.from(giteaSignature(secret, body), "hex");
  const got = Buffer.from(header.trim(), "hex");
  return got.length === want.length && timingSafeEqual(got, want);
}
