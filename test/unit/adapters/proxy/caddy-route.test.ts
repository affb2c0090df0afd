import { describe, expect, it } from "vitest";
import {
  caddyRoute,
  caddyRouteId,
  routeFromCaddy,
  sameJson,
} from "../../../../src/adapters/proxy/caddy-route.js";

const route = {
  hostname: "stage-production-shop.example.com",
  upstream: { host: "127.0.0.1", port: 40123 },
  tls: false,
};

describe("caddyRoute", () => {
  it("is one host-matched, terminal reverse_proxy route carrying its @id", () => {
    expect(caddyRoute(route)).toEqual({
      "@id": "tinyforge-stage-production-shop.example.com",
      match: [{ host: ["stage-production-shop.example.com"] }],
      handle: [{ handler: "reverse_proxy", upstreams: [{ dial: "127.0.0.1:40123" }] }],
      terminal: true,
    });
  });

  it("dials a container by name on a shared network", () => {
    expect(
      caddyRoute({ ...route, upstream: { host: "shop-web-production-ab12cd34", port: 8080 } }).handle,
    ).toEqual([{ handler: "reverse_proxy", upstreams: [{ dial: "shop-web-production-ab12cd34:8080" }] }]);
  });

  it("a spread route (a Swarm service's tasks) resolves the name once a second and retries safe requests", () => {
    const spread = {
      ...route,
      upstream: { host: "tasks.shop-web-production", port: 8080 },
      spread: true as const,
    };
    expect(caddyRoute(spread).handle).toEqual([
      {
        handler: "reverse_proxy",
        upstreams: [{ dial: "tasks.shop-web-production:8080" }],
        dynamic_upstreams: { source: "a", name: "tasks.shop-web-production", port: "8080", refresh: "1s" },
        load_balancing: {
          selection_policy: { policy: "round_robin" },
          try_duration: "10s",
          try_interval: "50ms",
          retry_match: [{ method: ["GET", "HEAD", "OPTIONS"] }],
        },
      },
    ]);
    expect(routeFromCaddy(spread.hostname, false, caddyRoute(spread))).toEqual(spread);
  });

  it("ids are per hostname", () => {
    expect(caddyRouteId("a.example.com")).toBe("tinyforge-a.example.com");
  });
});

describe("routeFromCaddy", () => {
  it("reads back the upstream of a route it wrote", () => {
    expect(routeFromCaddy(route.hostname, true, caddyRoute(route))).toEqual({ ...route, tls: true });
  });

  it("is undefined for an object that is not a reverse_proxy route", () => {
    expect(routeFromCaddy("a", false, { handle: [{ handler: "static_response" }] })).toBeUndefined();
    expect(routeFromCaddy("a", false, undefined)).toBeUndefined();
  });
});

describe("sameJson", () => {
  it("ignores key order, not values", () => {
    expect(sameJson({ a: 1, b: [{ c: 2, d: 3 }] }, { b: [{ d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});

describe("a load balancer's route", () => {
  const balanced = {
    ...route,
    upstreams: [
      { host: "10.0.0.11", port: 32768 },
      { host: "10.0.0.12", port: 32771 },
    ],
    health: { path: "/healthz", interval: "2000ms" },
  };

  it("dials every host, checks each actively and passively, and retries a failed connection on the next", () => {
    expect(caddyRoute(balanced).handle).toEqual([
      {
        handler: "reverse_proxy",
        upstreams: [{ dial: "10.0.0.11:32768" }, { dial: "10.0.0.12:32771" }],
        load_balancing: {
          selection_policy: { policy: "round_robin" },
          try_duration: "5s",
          try_interval: "100ms",
        },
        health_checks: {
          active: { uri: "/healthz", interval: "2000ms", timeout: "2s" },
          passive: { fail_duration: "10s", max_fails: 1 },
        },
      },
    ]);
  });

  it("reads back as the route that was written", () => {
    expect(routeFromCaddy(route.hostname, false, caddyRoute(balanced))).toEqual({
      ...balanced,
      upstream: balanced.upstreams[0],
    });
  });
});
