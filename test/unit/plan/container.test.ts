import { describe, expect, it } from "vitest";
import { type ContainerPlanInput, containerSpec } from "../../../src/plan/container.js";

const input: ContainerPlanInput = {
  name: "shop-web-production-pr-12-ab12cd34",
  image: "registry.example.com/shop/web:1111111",
  labels: { "dev.tinyforge.project": "shop", "dev.tinyforge.sha": "1111111" },
  workload: {
    port: 8080,
    env: { MODE: "production", GREETING: "a=b c" },
    secrets: ["API_TOKEN", "DB_PASSWORD"],
    volumes: ["shop-data:/data"],
    command: ["node", "server.js"],
    stop_timeout: 12_500,
  },
  network: "shopnet",
  secretValues: { API_TOKEN: "tok-123456", DB_PASSWORD: "pw-abcdef", UNRELATED: "not-passed" },
  meta: { sha: "1111111", stage: "production", deployId: "01DEPLOY", tag: "pr-12" },
  publishIp: "127.0.0.1",
  hostPort: 40000,
  aliases: ["web"],
};

describe("containerSpec", () => {
  it("is exactly the workload's container: env, then secrets, then tinyforge's own variables", () => {
    expect(containerSpec(input)).toEqual({
      name: "shop-web-production-pr-12-ab12cd34",
      image: "registry.example.com/shop/web:1111111",
      labels: { "dev.tinyforge.project": "shop", "dev.tinyforge.sha": "1111111" },
      env: [
        "MODE=production",
        "GREETING=a=b c",
        "API_TOKEN=tok-123456",
        "DB_PASSWORD=pw-abcdef",
        "TINYFORGE_SHA=1111111",
        "TINYFORGE_STAGE=production",
        "TINYFORGE_DEPLOY_ID=01DEPLOY",
        "TINYFORGE_TAG=pr-12",
      ],
      port: 8080,
      publishIp: "127.0.0.1",
      hostPort: 40000,
      network: "shopnet",
      aliases: ["web"],
      volumes: ["shop-data:/data"],
      command: ["node", "server.js"],
      stopTimeoutSec: 13,
    });
  });

  it("leaves out every optional field the plan does not set (no keys holding undefined)", () => {
    const spec = containerSpec({
      ...input,
      workload: { env: {}, secrets: [], volumes: [], stop_timeout: 10_000 },
      secretValues: {},
      meta: { sha: "2222222", stage: "preview", deployId: "01X" },
      hostPort: undefined,
      network: undefined,
      aliases: [],
    });
    expect(spec).toEqual({
      name: input.name,
      image: input.image,
      labels: input.labels,
      env: ["TINYFORGE_SHA=2222222", "TINYFORGE_STAGE=preview", "TINYFORGE_DEPLOY_ID=01X"],
      publishIp: "127.0.0.1",
      volumes: [],
      stopTimeoutSec: 10,
    });
    expect(Object.keys(spec)).not.toContain("hostPort");
    expect(Object.keys(spec)).not.toContain("port");
  });

  it("passes a named secret the deploying process did not set as empty, not as a missing variable", () => {
    const spec = containerSpec({ ...input, secretValues: { API_TOKEN: "tok-123456" } });
    expect(spec.env).toContain("DB_PASSWORD=");
    expect(spec.env.join("\n")).not.toContain("not-passed");
  });

  it("rounds the stop timeout up to whole seconds", () => {
    const at = (ms: number) =>
      containerSpec({ ...input, workload: { ...input.workload, stop_timeout: ms } }).stopTimeoutSec;
    expect([at(0), at(1), at(1000), at(1001)]).toEqual([0, 1, 1, 2]);
  });
});
