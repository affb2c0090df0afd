// GET /metrics is never open to whoever reaches the bot, and its label set stays bounded whatever
// stages the repositories name.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BotMetrics, MAX_STAGES, type MetricsAccess, metricsHandler } from "../../../bot/metrics.js";
import type { DeployResult } from "../../../src/deploy/types.js";

const levels = { queueDepth: () => 0, sshConnections: () => 0, accepted: () => 0 };
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(access: MetricsAccess): Promise<string> {
  const handler = metricsHandler(new BotMetrics(levels), access);
  const server = createServer((req, res) => void handler(req, res));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

const get = (url: string, token?: string) =>
  fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {}).then((r) => r.status);

describe("GET /metrics access", () => {
  it("with no token, it is served only when the bot listens on loopback", async () => {
    expect(await get(await serve({ tokens: [], host: "127.0.0.1" }))).toBe(200);
    const open = await serve({ tokens: ["", ""], host: "0.0.0.0" });
    expect(await get(open)).toBe(403);
    expect(await (await fetch(open)).text()).toContain("needs TINYFORGE_METRICS_TOKEN");
  });

  it("with a metrics token or the API token, only that bearer is let in, wherever the bot listens", async () => {
    const url = await serve({ tokens: ["metrics-token-1", "api-token-1"], host: "0.0.0.0" });
    expect(await get(url)).toBe(401);
    expect(await get(url, "wrong")).toBe(401);
    expect(await get(url, "metrics-token-1")).toBe(200);
    expect(await get(url, "api-token-1")).toBe(200);
  });
});

describe("metric labels", () => {
  const result = (stage: string) =>
    ({ stage, outcome: "success", durationMs: 10, steps: [] }) as unknown as DeployResult;

  it("a project keeps at most MAX_STAGES stage values (the rest are other); an unknown project is other", async () => {
    const m = new BotMetrics(levels, ["shop"]);
    for (let i = 0; i < MAX_STAGES + 5; i++) m.deployed("shop", result(`s${i}`));
    m.deployed("shop", result("s0"));
    m.deployed("nosuch", result("production"));
    const values = (await m.registry.getSingleMetric("tinyforge_deploys_total")!.get()).values;
    const stages = new Set(values.filter((v) => v.labels.project === "shop").map((v) => v.labels.stage));
    expect(stages.size).toBe(MAX_STAGES + 1);
    expect(stages.has("other")).toBe(true);
    expect(values.find((v) => v.labels.stage === "s0")?.value).toBe(2);
    expect(values.find((v) => v.labels.stage === "other" && v.labels.project === "shop")?.value).toBe(5);
    expect(values.some((v) => v.labels.project === "nosuch")).toBe(false);
    expect(values.find((v) => v.labels.project === "other")?.labels.stage).toBe("production");
  });
});
