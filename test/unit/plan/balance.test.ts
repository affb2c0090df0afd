import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import type { TinyforgeError } from "../../../src/errors.js";
import { balancedRoute, lbProxy, publishAddress } from "../../../src/plan/balance.js";

const base = `project: shop
domain: example.com
hosts: ["ssh://deploy@203.0.113.10", "ssh://deploy@203.0.113.11"]
stages: { production: {} }
workloads: { web: { source: image, image: "x:{sha}", port: 8080 } }
`;

function problems(text: string): readonly string[] {
  try {
    parseConfig(text, "x.yml");
  } catch (e) {
    return (e as TinyforgeError).details;
  }
  return [];
}

describe("load_balancer in the config", () => {
  const lb = `load_balancer:
  host: "ssh://deploy@203.0.113.5"
  driver: caddy
  private_addresses: { "ssh://deploy@203.0.113.11": 10.0.0.11 }
`;

  it("takes a host, a driver and per-host private addresses, checking every 2 s by default", () => {
    const c = parseConfig(base + lb, "x.yml");
    expect(c.load_balancer).toEqual({
      host: "ssh://deploy@203.0.113.5",
      driver: "caddy",
      tls: false,
      private_addresses: { "ssh://deploy@203.0.113.11": "10.0.0.11" },
      health_interval: 2000,
    });
    expect(lbProxy(c.load_balancer!)).toEqual({ driver: "caddy", tls: false });
  });

  it("a host's containers publish on its private address; the others on publish_ip, or the SSH address for 0.0.0.0", () => {
    const c = parseConfig(base + lb, "x.yml");
    expect(publishAddress(c, "ssh://deploy@203.0.113.11", "203.0.113.11")).toBe("10.0.0.11");
    expect(publishAddress(c, "ssh://deploy@203.0.113.10", "203.0.113.10")).toBe("127.0.0.1");
    const open = parseConfig(`${base}${lb}publish_ip: 0.0.0.0\n`, "x.yml");
    expect(publishAddress(open, "ssh://deploy@203.0.113.10", "203.0.113.10")).toBe("203.0.113.10");
    expect(publishAddress(open, "__proto__", "203.0.113.10")).toBe("203.0.113.10");
  });

  it("refuses a private address for a host no stage has, or one that is not an IPv4 address, naming the key path", () => {
    const bad = `load_balancer:
  host: "ssh://deploy@203.0.113.5"
  driver: caddy
  private_addresses: { "ssh://deploy@198.51.100.1": 10.0.0.1, "ssh://deploy@203.0.113.10": "10.0.0.1; evil" }
`;
    const got = problems(base + bad);
    expect(got).toEqual([
      'load_balancer.private_addresses["ssh://deploy@203.0.113.10"]: must be an IPv4 address like "10.0.0.5" (got "10.0.0.1; evil")',
      'load_balancer.private_addresses["ssh://deploy@198.51.100.1"]: names no entry of hosts or stages.S.hosts (have: ssh://deploy@203.0.113.10, ssh://deploy@203.0.113.11)',
    ]);
  });

  it("with many hosts, each stray private address names a few of them, not all", () => {
    const hosts = Array.from({ length: 300 }, (_, i) => `"ssh://deploy@10.1.${i >> 8}.${i & 255}"`);
    const stray = Array.from({ length: 300 }, (_, i) => `"ssh://deploy@10.2.${i >> 8}.${i & 255}": 10.0.0.1`);
    const text = `project: shop
domain: example.com
hosts: [${hosts.join(", ")}]
stages: { production: {} }
workloads: { web: { source: image, image: "x:{sha}", port: 8080 } }
load_balancer: { host: "ssh://deploy@203.0.113.5", driver: caddy, private_addresses: { ${stray.join(", ")} } }
`;
    const got = problems(text);
    expect(got).toHaveLength(300);
    expect(got[0]).toBe(
      'load_balancer.private_addresses["ssh://deploy@10.2.0.0"]: names no entry of hosts or stages.S.hosts (have: ssh://deploy@10.1.0.0, ssh://deploy@10.1.0.1, ssh://deploy@10.1.0.2, ssh://deploy@10.1.0.3, ssh://deploy@10.1.0.4, … (300 in all))',
    );
  });

  it("refuses a driver other than caddy or nginx, a swarm host, and a missing domain", () => {
    expect(
      problems(`${base}load_balancer: { host: "ssh://deploy@203.0.113.5", driver: npm }\n`).join("\n"),
    ).toMatch(/load_balancer\.driver/);
    expect(
      problems(`${base}load_balancer: { host: "swarm+ssh://deploy@203.0.113.5", driver: caddy }\n`).join(
        "\n",
      ),
    ).toMatch(/load_balancer\.host: must be a plain host/);
    expect(
      problems(
        `${base.replace("domain: example.com\n", "")}load_balancer: { host: "local", driver: caddy }\n`,
      ).join("\n"),
    ).toMatch(/domain: is required with load_balancer/);
  });
});

describe("balancedRoute", () => {
  const lb = parseConfig(
    `${base}load_balancer: { host: local, driver: caddy, health_interval: 1s }\n`,
    "x.yml",
  ).load_balancer!;

  it("lists the hosts in a stable order, checked on the health path", () => {
    const r = balancedRoute(
      lb,
      ["stage-production-shop.example.com"],
      [
        { host: "10.0.0.12", port: 2 },
        { host: "10.0.0.11", port: 1 },
      ],
      "/healthz",
    );
    expect(r).toEqual({
      hostname: "stage-production-shop.example.com",
      upstream: { host: "10.0.0.11", port: 1 },
      upstreams: [
        { host: "10.0.0.11", port: 1 },
        { host: "10.0.0.12", port: 2 },
      ],
      tls: false,
      health: { path: "/healthz", interval: "1000ms" },
    });
  });

  it("is none when no host serves", () => {
    expect(balancedRoute(lb, ["a.example.com"], [])).toBeUndefined();
  });
});
