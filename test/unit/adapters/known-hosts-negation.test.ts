import { describe, expect, it } from "vitest";
import { checkHostKey, parseKnownHosts } from "../../../src/adapters/known-hosts.js";

const A = Buffer.from("host key A: ssh-ed25519 blob");
const _B = Buffer.from("host key B: another blob");
const b64 = (k: Buffer) => k.toString("base64");
const verdict = (text: string, host: string, port: number, key: Buffer) =>
  checkHostKey(parseKnownHosts(text), host, port, key);

describe("known-hosts", () => {
  it("a negated wildcard (!*.db.example.org) excludes the hosts it matches", () => {
    const text = `*.example.org,!*.db.example.org ssh-ed25519 ${b64(A)}`;
    expect(verdict(text, "x.db.example.org", 22, A)).toBe("unknown");
  });
});
