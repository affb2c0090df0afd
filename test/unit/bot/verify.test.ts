import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { giteaSignature, verifyGitea } from "../../../bot/gitea/verify.js";
import { githubSignature, verifyGitHub } from "../../../bot/github/verify.js";

const body = Buffer.from('{"ref":"refs/heads/main"}');

describe("webhook signatures", () => {
  it("Gitea: hex HMAC-SHA256 of the exact body", () => {
    const sig = createHmac("sha256", "s3cret").update(body).digest("hex");
    expect(giteaSignature("s3cret", body)).toBe(sig);
    expect(verifyGitea("s3cret", body, sig)).toBe(true);
    expect(verifyGitea("s3cret", body, sig.toUpperCase())).toBe(true);
    expect(verifyGitea("other", body, sig)).toBe(false);
    expect(verifyGitea("s3cret", Buffer.from(`${body} `), sig)).toBe(false);
    expect(verifyGitea("s3cret", body, undefined)).toBe(false);
    expect(verifyGitea("s3cret", body, "")).toBe(false);
    expect(verifyGitea("s3cret", body, sig.slice(2))).toBe(false);
    expect(verifyGitea("s3cret", body, [sig])).toBe(false);
    expect(verifyGitea("s3cret", body, `sha256=${sig}`)).toBe(false);
  });

  it("GitHub: sha256= and the hex HMAC-SHA256 of the exact body", () => {
    const sig = `sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`;
    expect(githubSignature("s3cret", body)).toBe(sig);
    expect(verifyGitHub("s3cret", body, sig)).toBe(true);
    expect(verifyGitHub("other", body, sig)).toBe(false);
    expect(verifyGitHub("s3cret", body, sig.slice(7))).toBe(false);
    expect(verifyGitHub("s3cret", body, undefined)).toBe(false);
    expect(verifyGitHub("s3cret", body, `sha1=${"0".repeat(40)}`)).toBe(false);
  });
});
