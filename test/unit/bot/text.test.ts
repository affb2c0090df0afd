import { describe, expect, it } from "vitest";
import { cell, marker, renderPreview, replyLines, rowOf } from "../../../bot/forge/text.js";
import type { DeployResult } from "../../../src/deploy/types.js";

const result = (over: Partial<DeployResult> = {}): DeployResult => ({
  deployId: "01HZX00000000000000000000A",
  workload: "web",
  stage: "preview",
  tag: "pr-12",
  sha: "abcdef1234567890abcdef1234567890abcdef12",
  strategy: "blue-green",
  outcome: "success",
  url: "http://127.0.0.1:49153",
  container: "shop-web-preview-pr-12-x1",
  previous: null,
  host: "ssh://deploy@host",
  durationMs: 3200,
  servedMs: 3000,
  steps: [],
  error: null,
  ...over,
});

describe("preview comment", () => {
  it("starts with the hidden marker and shows one row per workload", () => {
    const body = renderPreview({
      project: "shop",
      tag: "pr-12",
      rows: [
        rowOf(result(), "ignored"),
        { workload: "api", stage: "preview", state: "queued", sha: "1234567abc" },
      ],
    });
    expect(body.split("\n")[0]).toBe(marker("shop"));
    expect(body).toBe(
      [
        "<!-- tinyforge:preview:shop -->",
        "### tinyforge preview `pr-12`",
        "",
        "| workload | stage | commit | status | URL |",
        "| --- | --- | --- | --- | --- |",
        "| web | preview | `abcdef1` | ✅ deployed: in 3.2s | http://127.0.0.1:49153 |",
        "| api | preview | `1234567` | ⏳ queued |  |",
        "",
        "<sub>Updated on every push to this pull request; the preview is removed when it closes.</sub>",
      ].join("\n"),
    );
  });

  it("a failure's reason cannot break the table, inject HTML or mention anyone", () => {
    const row = rowOf(
      result({
        outcome: "failed",
        error: { code: "health_timeout", message: "a | b <img src=x> @team\nnext" },
      }),
      "",
    );
    const body = renderPreview({ project: "shop", tag: "pr-1", rows: [row] });
    const line = body.split("\n").find((l) => l.startsWith("| web"))!;
    expect(line).toContain("❌ failed: a \\| b \\<img src=x\\> @\u200bteam next");
    expect(line.split(/(?<!\\)\|/)).toHaveLength(7);
  });

  it("names every problem of an invalid config, and says so when the PR closed", () => {
    const body = renderPreview({
      project: "shop",
      tag: "pr-3",
      rows: [{ workload: "web", stage: "preview", state: "removed", sha: "abc1234", url: "http://x" }],
      problem: { sha: "abc1234def", lines: ["workloads.web.port: expected a number"] },
      closed: true,
    });
    expect(body).toContain("❌ **tinyforge.yml is invalid** at `abc1234`");
    expect(body).toContain("- workloads.web.port: expected a number");
    expect(body).toContain("| web | preview | `abc1234` | 🧹 removed |  |"); // no stale URL
    expect(body).toContain("The pull request was closed");
  });

  it("cell caps long text", () => {
    expect(Array.from(cell("x".repeat(500)))).toHaveLength(200);
  });
});

describe("reply to a command", () => {
  it("one line per workload outcome", () => {
    expect(
      replyLines("deploy", [
        result(),
        result({ workload: "api", outcome: "unchanged", durationMs: 5 }),
        result({
          workload: "db",
          outcome: "failed",
          previous: "shop-db-preview-pr-12-a",
          error: { code: "x", message: "gate" },
        }),
        { workload: "job", stage: "preview", tag: "pr-12", outcome: "superseded", lines: [] },
      ]),
    ).toEqual([
      "✅ deployed `web` (pr-12) to preview at `abcdef1` in 3.2s: http://127.0.0.1:49153",
      "✅ `api` (pr-12) to preview: `abcdef1` already serves at http://127.0.0.1:49153",
      "❌ deploy of `db` (pr-12) to preview failed: gate (shop-db-preview-pr-12-a still serves)",
      "⏭️ `job` (pr-12) to preview: superseded by a newer push before it ran",
    ]);
    expect(replyLines("rollback", [result({ tag: null, stage: "production" })])[0]).toMatch(
      /^✅ rolled back `web` to production/,
    );
  });
});
