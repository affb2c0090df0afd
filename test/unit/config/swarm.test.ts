import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import type { TinyforgeError } from "../../../src/errors.js";

const swarmHost = 'hosts: ["swarm+ssh://deploy@203.0.113.10:22"]\n';
const stages = "stages: { production: {} }\n";

function problems(text: string): readonly string[] {
  try {
    parseConfig(text, "x.yml");
  } catch (e) {
    return (e as TinyforgeError).details;
  }
  return [];
}

describe("a config with a swarm+ssh:// host", () => {
  it("takes replicas and the swarm section, with dnsrr and a 5 s monitor by default", () => {
    const c = parseConfig(
      `project: shop\n${swarmHost}${stages}workloads: { web: { source: image, image: "x:{sha}", port: 8080, replicas: 3 } }\n`,
      "x.yml",
    );
    expect(c.workloads.web!.replicas).toBe(3);
    expect(c.swarm).toEqual({ endpoint_mode: "dnsrr", monitor: 5000 });
  });

  it("refuses a compose workload there, naming the key path", () => {
    expect(
      problems(`project: shop\n${swarmHost}${stages}workloads: { web: { source: compose } }\n`),
    ).toContainEqual(
      expect.stringMatching(/^workloads\.web\.source: must not be "compose" with a swarm\+ssh/),
    );
  });

  it("refuses an endpoint mode it does not know and replicas below 1", () => {
    const found = problems(
      `project: shop\n${swarmHost}${stages}swarm: { endpoint_mode: ingress }\nworkloads: { web: { source: image, image: x, port: 1, replicas: 0 } }\n`,
    );
    expect(found).toContainEqual(expect.stringMatching(/^swarm\.endpoint_mode: /));
    expect(found).toContainEqual(expect.stringMatching(/^workloads\.web\.replicas: /));
  });
});
