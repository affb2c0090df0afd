import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/schema.js";
import {
  currentRoute,
  dropStaleRoutes,
  proxyLabel,
  servingRoute,
  withRoute,
} from "../../../src/deploy/route-records.js";
import type { EngineContext } from "../../../src/deploy/types.js";
import type { InstanceState } from "../../../src/state/model.js";
import { FakeProxy } from "../../fakes/proxy.js";

const caddy = { driver: "caddy", admin: "http://127.0.0.1:2019", server: "srv0", tls: false };
const nginx = { driver: "nginx", config_dir: "/etc/nginx/conf.d/tinyforge", tls: false };
const route = { hostname: "h.example", upstream: { host: "127.0.0.1", port: 1 }, tls: false };

function setup(reachable: boolean) {
  const old = new FakeProxy("caddy");
  old.routes.set("h.example", route);
  const reached: unknown[] = [];
  const ctx = {
    config: configSchema.parse({
      project: "shop",
      domain: "example",
      proxy: nginx,
      stages: { production: {} },
      workloads: { web: { source: "image", image: "x", port: 1 } },
    }),
    proxyFor: (p: unknown) => {
      reached.push(p);
      if (!reachable) throw new Error("connection refused");
      return old;
    },
  } as unknown as EngineContext;
  const state: InstanceState = {
    key: "web.production",
    project: "shop",
    workload: "web",
    stage: "production",
    previous: [],
    routes: [{ hostname: "h.example", proxy: caddy }],
    updatedAt: "",
  };
  return { ctx, old, reached, state };
}

describe("routes on a proxy no longer configured", () => {
  it("are removed from it once the configured one carries the route", async () => {
    const { ctx, old, reached, state } = setup(true);
    const current = { hostname: "h.example", proxy: nginx };
    const r = await dropStaleRoutes(ctx, state, current);
    expect(reached).toEqual([caddy]);
    expect(old.calls).toEqual(["remove h.example"]);
    expect(r.routes).toEqual([current]);
    expect(r.lines).toEqual([
      "web.production: removed route h.example from caddy at http://127.0.0.1:2019 server srv0 (no longer configured)",
    ]);
  });

  it("stay on record, named with where they are, when that proxy cannot be reached", async () => {
    const { ctx, state } = setup(false);
    const current = { hostname: "h.example", proxy: nginx };
    const r = await dropStaleRoutes(ctx, state, current);
    expect(r.routes).toEqual([current, state.routes![0]]);
    expect(r.lines[0]).toContain(
      "route h.example is left on caddy at http://127.0.0.1:2019 server srv0 (connection refused)",
    );
  });

  it("the same proxy under the same hostname is not stale", async () => {
    const { ctx, old, state } = setup(true);
    const r = await dropStaleRoutes(ctx, state, { hostname: "h.example", proxy: { ...caddy } });
    expect(old.calls).toEqual([]);
    expect(r.lines).toEqual([]);
    expect(proxyLabel(nginx)).toBe("nginx at /etc/nginx/conf.d/tinyforge");
  });
});

describe("the route on record", () => {
  const config = configSchema.parse({
    project: "shop",
    domain: "example",
    proxy: nginx,
    stages: { production: {} },
    workloads: { web: { source: "image", image: "x", port: 1 } },
  });

  it("is the one just written, first and with its upstream; earlier ones only say where they were left", () => {
    const earlier = {
      hostname: "h.example",
      proxy: caddy,
      upstream: { host: "127.0.0.1", port: 9 },
      tls: false,
    };
    const current = currentRoute(config, route);
    const routes = withRoute([earlier], current);
    expect(routes).toEqual([
      { hostname: "h.example", proxy: config.proxy, upstream: { host: "127.0.0.1", port: 1 }, tls: false },
      { hostname: "h.example", proxy: caddy },
    ]);
    const state = { key: "web.production", active: {}, routes } as unknown as InstanceState;
    expect(servingRoute(state)).toEqual({ route, proxy: config.proxy });
  });

  it("names no serving route without an active release or an upstream", () => {
    const routes = [{ hostname: "h.example", proxy: caddy }];
    expect(servingRoute({ active: {}, routes } as unknown as InstanceState)).toBeUndefined();
    expect(
      servingRoute({ routes: withRoute([], currentRoute(config, route)) } as unknown as InstanceState),
    ).toBeUndefined();
    expect(currentRoute({ ...config, proxy: { driver: "none" } } as typeof config, route)).toBeUndefined();
  });
});
