import { describe, expect, it } from "vitest";
import { bucketSizeFor, nginxConfigFix } from "../../../../src/adapters/proxy/nginx-advice.js";

const BUCKET =
  "nginx: [emerg] could not build server_names_hash, you should increase server_names_hash_bucket_size: 64";
const EITHER =
  "nginx: [emerg] could not build server_names_hash, you should increase either server_names_hash_max_size: 512 or server_names_hash_bucket_size: 64";

describe("the nginx.conf line an nginx -t failure asks for", () => {
  it("a bucket too small for the hostname: the bucket line, 128 for default hostnames", () => {
    expect(nginxConfigFix(BUCKET, "stage-preview-shop-pr-123.example.com")).toBe(
      "server_names_hash_bucket_size 128;",
    );
  });

  it("a hostname longer than a 128-byte bucket holds gets the next power of two", () => {
    expect(nginxConfigFix(BUCKET, `${"a".repeat(63)}.${"b".repeat(63)}.example.com`)).toBe(
      "server_names_hash_bucket_size 256;",
    );
    expect(bucketSizeFor(46)).toBe(128);
    expect(bucketSizeFor(110)).toBe(128);
    expect(bucketSizeFor(111)).toBe(256);
  });

  it("too many names: both limits, doubled", () => {
    expect(nginxConfigFix(EITHER, "stage-production-shop.example.com")).toBe(
      "server_names_hash_max_size 1024; server_names_hash_bucket_size 128;",
    );
  });

  it("a failure the operator's nginx.conf cannot fix names no line", () => {
    expect(
      nginxConfigFix('nginx: [emerg] host not found in upstream "x.invalid:8080"', "a.example.com"),
    ).toBeUndefined();
  });
});
