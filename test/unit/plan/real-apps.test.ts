// The pure parts of real apps: route names per instance, collisions, instance env, limits, and
// several names on one route in each proxy's own shape.
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { caddyRoute, routeFromCaddy } from "../../../src/adapters/proxy/caddy-route.js";
import { nginxServerBlock, routeFromNginx } from "../../../src/adapters/proxy/nginx-block.js";
import { createBody, updateBody } from "../../../src/adapters/proxy/npm-payload.js";
import { parseConfig } from "../../../src/config/load.js";
import { createOptions } from "../../../src/adapters/docker-engine.js";
import { resourceLimits } from "../../../src/plan/container.js";
import { routeHostnames } from "../../../src/plan/hostnames.js";
import { instanceEnv } from "../../../src/plan/instance-env.js";
import { instanceSettings } from "../../../src/plan/instance-settings.js";

const web = { source: "image", image: "shop/web:{sha}", port: 8080 };
const config = (extra: Record<string, unknown> = {}, workloads: Record<string, unknown> = { web }) =>
  parseConfig(
    YAML.stringify({
      project: "shop",
      domain: "example.com",
      proxy: { driver: "caddy" },
      stages: { production: { branch: "main" }, preview: { pull_requests: true } },
      workloads,
      ...extra,
    }),
  );

describe("route names", () => {
  it("one routed workload keeps the default pattern without the workload", () => {
    expect(routeHostnames(config(), { project: "shop", workload: "web", stage: "production" })).toEqual([
      "stage-production-shop.example.com",
    ]);
  });

  it("with several routed workloads the defaults name the workload, tagged ones too", () => {
    const c = config({}, { web, api: web });
    expect(routeHostnames(c, { project: "shop", workload: "api", stage: "production" })).toEqual([
      "stage-production-shop-api.example.com",
    ]);
    expect(routeHostnames(c, { project: "shop", workload: "api", stage: "preview", tag: "pr-12" })).toEqual([
      "stage-preview-shop-api-pr-12.example.com",
    ]);
  });

  it("domains name the untagged instance of a stage; its tagged instances keep the pattern", () => {
    const c = config(
      {},
      { web: { ...web, domains: { production: ["shop.example.com", "www.shop.example.com"] } } },
    );
    expect(routeHostnames(c, { project: "shop", workload: "web", stage: "production" })).toEqual([
      "shop.example.com",
      "www.shop.example.com",
    ]);
    expect(routeHostnames(c, { project: "shop", workload: "web", stage: "production", tag: "t1" })).toEqual([
      "stage-production-shop-t1.example.com",
    ]);
  });
});

describe("validate: route collisions", () => {
  it("two workloads on one pattern without {workload} are refused, naming both", () => {
    expect(() => config({ hostname_pattern: "app-{stage}" }, { web, api: web })).toThrow(
      expect.objectContaining({
        details: expect.arrayContaining([
          "workloads.api: workloads.api in stage production and workloads.web in stage production would both be routed on app-production.example.com; give one its own domains or put {workload} in the hostname patterns",
        ]),
      }),
    );
  });

  it("a domain that another workload's pattern produces is refused", () => {
    const api = { ...web, domains: { production: ["stage-production-shop-web.example.com"] } };
    expect(() => config({}, { web, api })).toThrow(
      expect.objectContaining({
        details: [
          "workloads.api: workloads.api in stage production and workloads.web in stage production would both be routed on stage-production-shop-web.example.com; give one its own domains or put {workload} in the hostname patterns",
        ],
      }),
    );
  });

  it("domains for a stage that does not exist are refused at their path", () => {
    expect(() => config({}, { web: { ...web, domains: { prod: ["a.example.com"] } } })).toThrow(
      expect.objectContaining({
        details: ["workloads.web.domains.prod: names no stage in stages (have: production, preview)"],
      }),
    );
  });
});

describe("instance env", () => {
  it("stage env wins, known placeholders are expanded, others left as written, TINYFORGE_URL last", () => {
    expect(
      instanceEnv(
        { A: "w", B: "{workload}/{tag}", JSON: '{"a":1}', TINYFORGE_URL: "mine" },
        { A: "s", C: "{url}" },
        { project: "shop", workload: "web", stage: "production", url: "http://x" },
      ),
    ).toEqual({ A: "s", B: "web/{tag}", JSON: '{"a":1}', C: "http://x", TINYFORGE_URL: "http://x" });
  });

  it("tinyforge config hides secret values", () => {
    const c = config({}, { web: { ...web, secrets: ["DB_PASSWORD"], env: { X: "{sha}" } } });
    const s = instanceSettings(c, { workload: "web", stage: "production", sha: "abc1234" });
    expect(s.env).toEqual({
      X: "abc1234",
      TINYFORGE_URL: "http://stage-production-shop.example.com",
      DB_PASSWORD: "***",
    });
  });
});

describe("resources", () => {
  it("memory and cpus become Docker's Memory and NanoCpus; a release container has no restart policy", () => {
    const limits = resourceLimits({ memory: "512m", cpus: 1.5 });
    expect(limits).toEqual({ memoryBytes: 512 * 1024 * 1024, nanoCpus: 1_500_000_000 });
    const spec = {
      name: "n",
      image: "i",
      labels: {},
      env: [],
      publishIp: "127.0.0.1",
      volumes: [],
      stopTimeoutSec: 1,
    };
    expect(createOptions({ ...spec, ...limits }).HostConfig).toMatchObject({
      Memory: 536870912,
      NanoCpus: 1_500_000_000,
      RestartPolicy: { Name: "unless-stopped" },
    });
    expect(createOptions({ ...spec, restart: "no" }).HostConfig?.RestartPolicy).toEqual({ Name: "no" });
  });

  it("a memory size under Docker's minimum is refused at its path", () => {
    expect(() => config({}, { web: { ...web, resources: { memory: "1k" } } })).toThrow(
      expect.objectContaining({
        details: [
          'workloads.web.resources.memory: must be a size of at least 6m like "512m" or "1g" (got "1k")',
        ],
      }),
    );
  });
});

describe("several names on one route", () => {
  const route = {
    hostname: "shop.example.com",
    aliases: ["www.shop.example.com"],
    upstream: { host: "127.0.0.1", port: 40123 },
    tls: false,
  };

  it("caddy: one matcher with every name, read back with its aliases", () => {
    const r = caddyRoute(route);
    expect(r.match).toEqual([{ host: ["shop.example.com", "www.shop.example.com"] }]);
    expect(routeFromCaddy("shop.example.com", false, r)).toEqual(route);
  });

  it("nginx: one server_name line with every name, read back with its aliases", () => {
    const block = nginxServerBlock(route, "80");
    expect(block.text).toContain("    server_name shop.example.com www.shop.example.com;\n");
    expect(routeFromNginx("shop.example.com", block.text)).toEqual(route);
  });

  it("npm: domain_names holds every name; a changed list is rewritten", () => {
    expect(createBody(route, {}).domain_names).toEqual(["shop.example.com", "www.shop.example.com"]);
    const row = {
      id: 1,
      domain_names: ["shop.example.com"],
      forward_scheme: "http",
      forward_host: "127.0.0.1",
      forward_port: 40123,
      enabled: true,
    };
    expect(updateBody(row, route, {})).toEqual({
      domain_names: ["shop.example.com", "www.shop.example.com"],
    });
    expect(
      updateBody({ ...row, domain_names: ["www.shop.example.com", "shop.example.com"] }, route, {}),
    ).toEqual({});
  });
});
