// Values a hostile or careless user can put in tinyforge.yml: each is refused by validate with the
// key path it sits at, before any deploy could carry it to a host.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { TinyforgeError } from "../../../src/errors.js";

type Patch = (c: Record<string, any>) => void;

function base(): Record<string, any> {
  return {
    project: "shop",
    hosts: ["ssh://deploy@127.0.0.1:2222"],
    domain: "example.com",
    proxy: { driver: "caddy" },
    stages: { production: { branch: "main" } },
    workloads: {
      web: {
        source: "image",
        image: "registry.example.com/shop/web:{sha}",
        port: 8080,
        healthcheck: { path: "/" },
      },
      site: { source: "static", base_image: "busybox:1.36" },
    },
  };
}

function details(patch: Patch): string[] {
  const c = base();
  patch(c);
  try {
    parseConfig(JSON.stringify(c));
  } catch (e) {
    expect(e).toBeInstanceOf(TinyforgeError);
    expect((e as TinyforgeError).exitCode).toBe(2);
    return [...((e as TinyforgeError).details ?? [])];
  }
  throw new Error("the config was accepted");
}

const web = (c: Record<string, any>) => c.workloads.web;
const long = (n: number) => Array.from({ length: Math.ceil(n / 60) }, () => "a".repeat(59)).join(".");

const corpus: [string, Patch, string][] = [
  ["publish_ip 127.0.0.l", (c) => (c.publish_ip = "127.0.0.l"), "publish_ip: must be an IP address"],
  ["publish_ip localhost", (c) => (c.publish_ip = "localhost"), "publish_ip: must be an IP address"],
  [
    "publish_ip with a trailing space",
    (c) => (c.publish_ip = "127.0.0.1 "),
    "publish_ip: must be an IP address",
  ],
  ["publish_ip empty", (c) => (c.publish_ip = ""), "publish_ip: must be an IP address"],
  ["proxy.admin not a URL", (c) => (c.proxy.admin = "not a url"), "proxy.admin: "],
  ["proxy.admin empty", (c) => (c.proxy.admin = ""), "proxy.admin: "],
  ["env key with =", (c) => (web(c).env = { "PATH=/x": "y" }), "workloads.web.env"],
  ["env key with a newline", (c) => (web(c).env = { "A\nB": "y" }), "workloads.web.env"],
  ["env key starting with a digit", (c) => (web(c).env = { "1X": "y" }), "workloads.web.env"],
  [
    "timeout 999999h",
    (c) => (web(c).healthcheck.timeout = "999999h"),
    "workloads.web.healthcheck.timeout: must be at most 24h",
  ],
  [
    "interval 25h",
    (c) => (web(c).healthcheck.interval = "25h"),
    "workloads.web.healthcheck.interval: must be at most 24h",
  ],
  ["lock_timeout 9999999m", (c) => (c.lock_timeout = "9999999m"), "lock_timeout: must be at most 24h"],
  ["drain 100000h", (c) => (web(c).drain = "100000h"), "workloads.web.drain: must be at most 24h"],
  ["a domain making hostnames over 253", (c) => (c.domain = long(240)), "hostname_pattern: gives hostname"],
  [
    "a pattern making hostnames over 253",
    (c) => (c.hostname_pattern = `{stage}.${long(250)}`),
    "hostname_pattern: gives hostname",
  ],
  [
    "SSH port 99999",
    (c) => (c.hosts = ["ssh://deploy@127.0.0.1:99999"]),
    "hosts[0]: must have an SSH port from 1 to 65535",
  ],
  [
    "SSH port 0",
    (c) => (c.hosts = ["ssh://deploy@127.0.0.1:0"]),
    "hosts[0]: must have an SSH port from 1 to 65535",
  ],
  [
    "a relative Docker socket",
    (c) => (c.hosts = ["ssh://deploy@127.0.0.1:22?socket=run/docker.sock"]),
    "hosts[0]: must be",
  ],
  [
    "a Docker socket with shell characters",
    (c) => (c.hosts = ["ssh://deploy@127.0.0.1?socket=/run/$(id).sock"]),
    "hosts[0]: must be",
  ],
  [
    "base_image with a newline",
    (c) => (c.workloads.site.base_image = "busybox\nRUN evil"),
    "workloads.site.base_image:",
  ],
  [
    "base_image with a space",
    (c) => (c.workloads.site.base_image = "busybox latest"),
    "workloads.site.base_image:",
  ],
  ["image with a newline", (c) => (web(c).image = "shop/web:{sha}\nx"), "workloads.web.image:"],
  [
    "healthcheck.path with a space",
    (c) => (web(c).healthcheck.path = "/a b"),
    "workloads.web.healthcheck.path: must be a URL path",
  ],
  [
    "healthcheck.path with CR/LF",
    (c) => (web(c).healthcheck.path = "/a\r\nX-Evil: 1"),
    "workloads.web.healthcheck.path: must be a URL path",
  ],
];

describe("hostile config values", () => {
  it("the base config is valid, so each refusal below is the patched value's", () => {
    expect(parseConfig(JSON.stringify(base())).publish_ip).toBe("127.0.0.1");
  });

  it.each(corpus)("refuses %s at its key path", (_, patch, want) => {
    expect(details(patch).join("\n")).toContain(want);
  });

  it("accepts IPv4, IPv6 and any-address publish IPs, 24h durations and SSH port 65535", () => {
    for (const ip of ["0.0.0.0", "10.1.2.3", "::1", "::"]) {
      expect(parseConfig(JSON.stringify({ ...base(), publish_ip: ip })).publish_ip).toBe(ip);
    }
    const c = base();
    c.lock_timeout = "24h";
    c.hosts = ["ssh://deploy@127.0.0.1:65535"];
    expect(parseConfig(JSON.stringify(c)).lock_timeout).toBe(86_400_000);
  });
});
