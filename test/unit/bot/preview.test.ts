import { describe, expect, it } from "vitest";
import { PreviewComment } from "../../../bot/forge/preview.js";
import { silentLogger } from "../../../bot/forge/types.js";
import type { DeployInfo, DeployResult } from "../../../src/deploy/types.js";
import { FakeRepoApi } from "./fake-repo-api.js";

const info = (workload: string): DeployInfo => ({
  deployId: "D",
  project: "it",
  workload,
  stage: "preview",
  tag: "pr-7",
  sha: "abcdef1234",
  ref: "feature",
  strategy: "blue-green",
  host: "h",
});
const done = (workload: string): DeployResult => ({
  ...info(workload),
  outcome: "success",
  url: `http://127.0.0.1:1/${workload}`,
  container: "c",
  previous: null,
  durationMs: 1000,
  servedMs: 900,
  steps: [],
  error: null,
});

describe("PreviewComment", () => {
  it("writes one comment and edits it; a burst of updates coalesces into few writes", async () => {
    const api = new FakeRepoApi();
    const c = new PreviewComment(api, 7, "shop", "pr-7", silentLogger);
    await c.queued("preview", ["web", "api"], "abcdef1234");
    await Promise.all([c.started(info("web")), c.started(info("api")), c.finished(info("web"), done("web"))]);
    await c.finished(info("api"), done("api"));
    expect(api.comments_).toHaveLength(1);
    const writes = api.calls.filter((x) => /Comment/.test(x));
    expect(writes[0]).toBe("createComment 7");
    expect(writes.length).toBeLessThanOrEqual(4);
    expect(api.comments_[0]!.body).toContain("http://127.0.0.1:1/web");
    expect(api.comments_[0]!.body).toContain("http://127.0.0.1:1/api");
    expect(api.calls.filter((x) => x === "comments 7")).toHaveLength(1); // looked up once
  });

  it("finds its own earlier comment by the marker (a restarted bot), never someone else's", async () => {
    const api = new FakeRepoApi();
    api.comments_.push({ id: 1, issue: 7, mine: false, body: "<!-- tinyforge:preview:shop --> spoof" });
    api.comments_.push({ id: 2, issue: 7, mine: true, body: "<!-- tinyforge:preview:shop -->\nold" });
    const c = new PreviewComment(api, 7, "shop", "pr-7", silentLogger);
    await c.queued("preview", ["web"], "abcdef1234");
    expect(api.calls).toContain("updateComment 2");
    expect(api.comments_.map((x) => x.id)).toEqual([1, 2]);
    expect(api.comments_[0]!.body).toContain("spoof");
  });

  it("a failed write is logged, not thrown; the next write looks the comment up again", async () => {
    const api = new FakeRepoApi();
    const warnings: string[] = [];
    const c = new PreviewComment(api, 7, "shop", "pr-7", { ...silentLogger, warn: (m) => warnings.push(m) });
    api.failWrites = true;
    await c.queued("preview", ["web"], "abcdef1234");
    expect(warnings[0]).toContain("preview comment: HTTP 502");
    api.failWrites = false;
    await c.finished(info("web"), done("web"));
    expect(api.comments_).toHaveLength(1);
    expect(api.calls.filter((x) => x === "comments 7")).toHaveLength(2);
  });
});
