import { describe, expect, it } from "vitest";
import { routeFor } from "../../../src/plan/route.js";

const base = {
  hostname: "stage-production-shop",
  container: "shop-web-production-ab12cd34",
  publishAddress: "127.0.0.1",
  tls: false,
};

describe("routeFor", () => {
  it("on a shared network, forwards to the container by name on its app port", () => {
    expect(routeFor({ ...base, network: "shopnet", appPort: 8080, hostPort: 40000 })).toEqual({
      hostname: "stage-production-shop",
      upstream: { host: "shop-web-production-ab12cd34", port: 8080 },
      tls: false,
    });
  });

  it("without a network, forwards to the published port on the publish address", () => {
    expect(
      routeFor({ ...base, appPort: 8080, hostPort: 40000, publishAddress: "203.0.113.10", tls: true }),
    ).toEqual({
      hostname: "stage-production-shop",
      upstream: { host: "203.0.113.10", port: 40000 },
      tls: true,
    });
  });

  it("a network without an app port cannot be forwarded by name: falls back to the published port", () => {
    expect(routeFor({ ...base, network: "shopnet", hostPort: 40000 })?.upstream).toEqual({
      host: "127.0.0.1",
      port: 40000,
    });
  });

  it("is undefined when there is neither a network route nor a published port", () => {
    expect(routeFor({ ...base, appPort: 8080 })).toBeUndefined();
    expect(routeFor({ ...base, network: "shopnet" })).toBeUndefined();
  });
});
