// How much one config may declare, and that validating it stays linear: the bot validates a pushed
// tinyforge.yml on its one thread, so a large file must be refused, not worked through.
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import {
  MAX_ACCESSORIES,
  MAX_DOMAINS_PER_STAGE,
  MAX_STAGES,
  MAX_WORKLOADS,
} from "../../../src/config/limits.js";
import { parseConfig } from "../../../src/config/load.js";
import { routeCollisions } from "../../../src/plan/route-collisions.js";

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const each = <T>(keys: string[], value: (key: string) => T) =>
  Object.fromEntries(keys.map((k) => [k, value(k)]));

function configText(o: {
  workloads: number;
  stages: number;
  accessories?: number;
  domains?: number;
}): string {
  const stages = names("s", o.stages);
  return YAML.stringify({
    project: "shop",
    domain: "example.com",
    proxy: { driver: "caddy" },
    stages: each(stages, (s) => ({ branch: s })),
    workloads: each(names("w", o.workloads), (w) => ({
      source: "image",
      image: "shop/web:{sha}",
      port: 8080,
      ...(o.domains ? { domains: { s0: names(`${w}-d`, o.domains).map((d) => `${d}.example.com`) } } : {}),
    })),
    accessories: each(names("a", o.accessories ?? 0), () => ({ image: "postgres:16" })),
  });
}

const refused = (text: string) => {
  try {
    parseConfig(text);
  } catch (e) {
    return (e as { details: string[] }).details;
  }
  return [];
};

describe("config limits", () => {
  it("a config at every limit validates", () => {
    const c = parseConfig(
      configText({
        workloads: MAX_WORKLOADS,
        stages: MAX_STAGES,
        accessories: MAX_ACCESSORIES,
        domains: MAX_DOMAINS_PER_STAGE,
      }),
    );
    expect(Object.keys(c.workloads)).toHaveLength(MAX_WORKLOADS);
    expect(Object.keys(c.stages)).toHaveLength(MAX_STAGES);
  });

  it("one workload over the limit is refused at workloads", () => {
    expect(refused(configText({ workloads: MAX_WORKLOADS + 1, stages: 1 }))).toEqual([
      `workloads: must name at most ${MAX_WORKLOADS} workloads (got ${MAX_WORKLOADS + 1})`,
    ]);
  });

  it("one stage over the limit is refused at stages", () => {
    expect(refused(configText({ workloads: 1, stages: MAX_STAGES + 1 }))).toEqual([
      `stages: must name at most ${MAX_STAGES} stages (got ${MAX_STAGES + 1})`,
    ]);
  });

  it("one accessory over the limit is refused at accessories", () => {
    expect(refused(configText({ workloads: 1, stages: 1, accessories: MAX_ACCESSORIES + 1 }))).toEqual([
      `accessories: must name at most ${MAX_ACCESSORIES} accessories (got ${MAX_ACCESSORIES + 1})`,
    ]);
  });

  it("one hostname over the limit in a stage's domains is refused at that stage", () => {
    expect(refused(configText({ workloads: 1, stages: 1, domains: MAX_DOMAINS_PER_STAGE + 1 }))).toEqual([
      `workloads.w0.domains.s0: must have at most ${MAX_DOMAINS_PER_STAGE} items`,
    ]);
  });

  it("the route-collision check walks the workloads a fixed number of times, not once per instance", () => {
    const config = parseConfig(configText({ workloads: 20, stages: 10 }));
    // Every pass over all the workloads (counting the routed ones, listing them) enumerates the keys.
    let walks = 0;
    const workloads = new Proxy(config.workloads, {
      ownKeys(target) {
        walks++;
        return Reflect.ownKeys(target);
      },
    });
    expect(routeCollisions({ ...config, workloads })).toEqual([]);
    expect(walks).toBeLessThanOrEqual(3); // 20 workloads × 10 stages × 2 instances would be 400
  });
});
