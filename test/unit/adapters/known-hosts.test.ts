import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkHostKey, knownHostName, parseKnownHosts } from "../../../src/adapters/known-hosts.js";

// Key blobs only need to be distinct bytes: the check compares what the server presents.
const A = Buffer.from("host key A: ssh-ed25519 blob");
const B = Buffer.from("host key B: another blob");
const C = Buffer.from("host key C: a third blob");
const b64 = (k: Buffer) => k.toString("base64");

/** An OpenSSH hashed host pattern (`ssh-keygen -H`): |1|base64(salt)|base64(HMAC-SHA1(salt, name)). */
function hashed(name: string, salt = randomBytes(20)): string {
  return `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
}

const verdict = (text: string, host: string, port: number, key: Buffer) =>
  checkHostKey(parseKnownHosts(text), host, port, key);

describe("parseKnownHosts", () => {
  it("reads host lists, key type and key; skips comments, blanks, short lines and @cert-authority", () => {
    const text = [
      "# pinned by ops",
      "",
      `deploy.example.com,203.0.113.10 ssh-ed25519 ${b64(A)} ops@laptop`,
      `@revoked old.example.com ssh-rsa ${b64(B)}`,
      `@cert-authority *.example.com ssh-ed25519 ${b64(C)}`,
      "broken-line-without-key",
      `  [bastion]:2222\tecdsa-sha2-nistp256   ${b64(C)}  `,
    ].join("\r\n");
    expect(parseKnownHosts(text)).toEqual([
      {
        patterns: ["deploy.example.com", "203.0.113.10"],
        keyType: "ssh-ed25519",
        key: b64(A),
        revoked: false,
      },
      { patterns: ["old.example.com"], keyType: "ssh-rsa", key: b64(B), revoked: true },
      { patterns: ["[bastion]:2222"], keyType: "ecdsa-sha2-nistp256", key: b64(C), revoked: false },
    ]);
  });
});

describe("knownHostName", () => {
  it("is the bare host on port 22 and [host]:port otherwise", () => {
    expect(knownHostName("deploy.example.com", 22)).toBe("deploy.example.com");
    expect(knownHostName("203.0.113.10", 2222)).toBe("[203.0.113.10]:2222");
  });
});

describe("checkHostKey", () => {
  const plain = `deploy.example.com,203.0.113.10 ssh-ed25519 ${b64(A)}`;

  it("plain entry: match for its key, changed for another key, unknown for another host", () => {
    expect(verdict(plain, "deploy.example.com", 22, A)).toBe("match");
    expect(verdict(plain, "203.0.113.10", 22, A)).toBe("match");
    expect(verdict(plain, "deploy.example.com", 22, B)).toBe("changed");
    expect(verdict(plain, "other.example.com", 22, A)).toBe("unknown");
  });

  it("an entry for port 22 does not vouch for the same host on another port", () => {
    expect(verdict(plain, "deploy.example.com", 2222, A)).toBe("unknown");
  });

  it("plain [host]:port entry (ssh-keyscan -p) matches that host on that port only", () => {
    const text = `[127.0.0.1]:2222 ssh-ed25519 ${b64(A)}`;
    expect(verdict(text, "127.0.0.1", 2222, A)).toBe("match");
    expect(verdict(text, "127.0.0.1", 2222, B)).toBe("changed");
    expect(verdict(text, "127.0.0.1", 22, A)).toBe("unknown");
  });

  it("hashed entry (|1|salt|hmac) matches the name it hashes, including [host]:port", () => {
    const text = [
      `${hashed("deploy.example.com")} ssh-ed25519 ${b64(A)}`,
      `${hashed("[10.0.0.5]:2222")} ssh-ed25519 ${b64(B)}`,
    ].join("\n");
    expect(verdict(text, "deploy.example.com", 22, A)).toBe("match");
    expect(verdict(text, "deploy.example.com", 22, C)).toBe("changed");
    expect(verdict(text, "10.0.0.5", 2222, B)).toBe("match");
    expect(verdict(text, "10.0.0.5", 22, B)).toBe("unknown");
    expect(verdict(text, "other.example.com", 22, A)).toBe("unknown");
  });

  it("a hashed entry with a malformed hash field matches nothing", () => {
    expect(
      verdict(`|1|${randomBytes(20).toString("base64")} ssh-ed25519 ${b64(A)}`, "deploy.example.com", 22, A),
    ).toBe("unknown");
  });

  it("wildcards: * spans characters, ? exactly one, dots are literal, case is ignored", () => {
    const text = `*.example.org,web?.internal ssh-ed25519 ${b64(A)}`;
    expect(verdict(text, "app.example.org", 22, A)).toBe("match");
    expect(verdict(text, "APP.Example.ORG", 22, A)).toBe("match");
    expect(verdict(text, "example.org", 22, A)).toBe("unknown");
    expect(verdict(text, "web1.internal", 22, B)).toBe("changed");
    expect(verdict(text, "web12.internal", 22, A)).toBe("unknown");
    expect(verdict(text, "webXinternal", 22, A)).toBe("unknown");
  });

  it("a negated name in the list excludes that host from the entry", () => {
    const text = `*.example.org,!db.example.org ssh-ed25519 ${b64(A)}`;
    expect(verdict(text, "db.example.org", 22, A)).toBe("unknown");
    expect(verdict(text, "app.example.org", 22, A)).toBe("match");
  });

  it("a revoked key is refused as revoked even when another line pins it", () => {
    const text = [`deploy.example.com ssh-ed25519 ${b64(A)}`, `@revoked * ssh-ed25519 ${b64(B)}`].join("\n");
    expect(verdict(text, "deploy.example.com", 22, B)).toBe("revoked");
    expect(verdict(text, "deploy.example.com", 22, A)).toBe("match");
  });

  it("only revoked lines for a host: another key is unknown, not changed", () => {
    const text = `@revoked deploy.example.com ssh-ed25519 ${b64(B)}`;
    expect(verdict(text, "deploy.example.com", 22, A)).toBe("unknown");
  });

  it("one of several pinned keys for a host is enough", () => {
    const text = [`deploy.example.com ssh-rsa ${b64(B)}`, `deploy.example.com ssh-ed25519 ${b64(A)}`].join(
      "\n",
    );
    expect(verdict(text, "deploy.example.com", 22, A)).toBe("match");
    expect(verdict(text, "deploy.example.com", 22, C)).toBe("changed");
  });
});
