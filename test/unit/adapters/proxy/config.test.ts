// The proxy section of tinyforge.yml as users write it, and the driver makeProxy picks from it.
import { afterAll, describe, expect, it } from "vitest";
import { CaddyProxy } from "../../../../src/adapters/proxy/caddy.js";
import { checkProxySecrets, makeProxy } from "../../../../src/adapters/proxy/index.js";
import { NginxProxy } from "../../../../src/adapters/proxy/nginx.js";
import { NoProxy } from "../../../../src/adapters/proxy/none.js";
import { NpmProxy } from "../../../../src/adapters/proxy/npm.js";
import { parseConfig } from "../../../../src/config/load.js";
import type { TinyforgeError } from "../../../../src/errors.js";
import { FakeHost } from "../../../fakes/host.js";

const config = (proxy: string) =>
  parseConfig(`project: shop
domain: example.com
proxy: ${proxy}
stages: { production: { branch: main } }
workloads: { web: { source: image, image: "r/web:{sha}", port: 8080 } }
`);

function details(proxy: string): readonly string[] {
  try {
    config(proxy);
  } catch (e) {
    return (e as TinyforgeError).details;
  }
  throw new Error("expected the config to be refused");
}

describe("proxy config", () => {
  it("takes each driver's own options", () => {
    expect(config('{ driver: caddy, admin: "http://127.0.0.1:2019", server: web }').proxy).toEqual({
      driver: "caddy",
      admin: "http://127.0.0.1:2019",
      server: "web",
      tls: false,
    });
    expect(
      config(
        '{ driver: nginx, config_dir: /etc/nginx/tf, command: [sudo, -n, nginx], listen: "127.0.0.1:8080" }',
      ).proxy,
    ).toMatchObject({ command: ["sudo", "-n", "nginx"], listen: "127.0.0.1:8080" });
    expect(config("{ driver: npm, tls: true, certificate_id: 3, ssl_forced: true }").proxy).toMatchObject({
      certificate_id: 3,
      ssl_forced: true,
    });
  });

  it("refuses another driver's options, naming the key", () => {
    expect(details("{ driver: caddy, config_dir: /x, certificate_id: 3 }")).toEqual([
      'proxy.config_dir: is only used when proxy.driver is "nginx" (driver is "caddy")',
      'proxy.certificate_id: is only used when proxy.driver is "npm" (driver is "caddy")',
    ]);
    expect(details('{ driver: nginx, admin: "http://127.0.0.1:81" }')).toEqual([
      'proxy.admin: is only used when proxy.driver is "caddy" or "npm" (driver is "nginx")',
    ]);
  });

  it("refuses an admin API that is not on the host's loopback over http", () => {
    expect(details('{ driver: npm, admin: "http://10.0.0.5:81" }')).toEqual([
      'proxy.admin: must be http://127.0.0.1:PORT (or localhost): the admin API is reached through the SSH connection, on the host\'s loopback (got "http://10.0.0.5:81")',
    ]);
    expect(details('{ driver: caddy, admin: "https://127.0.0.1:2019" }')).toHaveLength(1);
  });

  it("refuses nginx listen parameters that would inject directives, and npm tls without a certificate", () => {
    expect(details('{ driver: nginx, listen: "80; include /etc/passwd" }')[0]).toMatch(
      /^proxy\.listen: must be nginx listen/,
    );
    expect(details("{ driver: npm, tls: true }")).toEqual([
      'proxy.certificate_id: is required when proxy.driver is "npm" and tls is true (the id of an NPM certificate)',
    ]);
  });
});

describe("makeProxy", () => {
  const host = new FakeHost();
  afterAll(() => host.dispose());

  it("picks the driver proxy.driver names", () => {
    expect(makeProxy(config("{ driver: none }"), host, {})).toBeInstanceOf(NoProxy);
    expect(makeProxy(config("{ driver: caddy }"), host, {})).toBeInstanceOf(CaddyProxy);
    expect(makeProxy(config("{ driver: nginx }"), host, {})).toBeInstanceOf(NginxProxy);
    expect(makeProxy(config("{ driver: npm }"), host, { proxyToken: "t" })).toBeInstanceOf(NpmProxy);
  });

  it("checkProxySecrets refuses what makeProxy would, before any host is opened", () => {
    expect(() => checkProxySecrets(config("{ driver: npm }"), { proxyUser: "a@b.c" })).toThrow(
      expect.objectContaining({ code: "usage", hint: expect.stringContaining("TINYFORGE_PROXY_PASSWORD") }),
    );
    expect(() => checkProxySecrets(config("{ driver: npm }"), { proxyToken: "t" })).not.toThrow();
    expect(() => checkProxySecrets(config("{ driver: caddy }"), {})).not.toThrow();
  });

  it("npm without credentials is a usage error that names the variables", () => {
    expect(() => makeProxy(config("{ driver: npm }"), host, {})).toThrow(
      expect.objectContaining({ code: "usage", hint: expect.stringContaining("TINYFORGE_PROXY_PASSWORD") }),
    );
  });
});
