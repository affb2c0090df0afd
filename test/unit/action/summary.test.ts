import { describe, expect, it } from "vitest";
import { summaryOf } from "../../../src/action/summary.js";
import type { DeployResult } from "../../../src/deploy/types.js";

const base: DeployResult = {
  deployId: "01JAAAAAAAAAAAAAAAAAAAAAAA",
  workload: "web",
  stage: "production",
  tag: null,
  sha: "0123456789abcdef0123",
  strategy: "blue-green",
  outcome: "success",
  url: "http://stage-production-shop.example.com",
  container: "shop-web-production-abcd1234",
  previous: null,
  host: "deploy@203.0.113.10:22",
  durationMs: 2300,
  servedMs: 2100,
  steps: [
    { name: "pull", ms: 800, ok: true },
    { name: "gate", ms: 1500, ok: true },
  ],
  error: null,
};

describe("job summary", () => {
  it("shows what went where, the URL, and each step with its time", () => {
    expect(summaryOf(base, [])).toEqual({
      heading: "✅ tinyforge: web → production",
      lines: [
        "**web** `0123456789ab` → **production** on deploy@203.0.113.10:22, blue-green: **success** in 2.3s",
        "URL: http://stage-production-shop.example.com",
      ],
      rows: [
        [
          { data: "step", header: true },
          { data: "time", header: true },
          { data: "ok", header: true },
        ],
        ["pull", "800ms", "✓"],
        ["gate", "1.5s", "✓"],
      ],
    });
  });

  it("on failure names the failing step, what still serves, and the container's last lines", () => {
    const failed: DeployResult = {
      ...base,
      outcome: "failed",
      url: null,
      previous: "shop-web-production-old11111",
      steps: [{ name: "gate", ms: 900, ok: false }],
      error: { code: "health_timeout", message: "failed its health check /healthz 3 times" },
    };
    expect(summaryOf(failed, ["boom", "exit 1"]).lines.slice(1)).toEqual([
      "Failed at step **gate**: failed its health check /healthz 3 times",
      "The previous release (shop-web-production-old11111) still serves.",
      "Last lines of the container's output:\n\n```\nboom\nexit 1\n```",
    ]);
  });
});
