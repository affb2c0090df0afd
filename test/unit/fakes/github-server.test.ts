// The fakes record every request; a caller can wait for one instead of polling the record.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../../fakes/github-server.js";

const TOKEN = "ghs_waiter";
const github = new FakeGitHub(TOKEN);
beforeAll(() => github.start());
afterAll(() => github.stop());

const status = (sha: string, state: string) =>
  fetch(`${github.url}/repos/octo/shop/statuses/${sha}`, {
    method: "POST",
    headers: { authorization: `token ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ state, context: "tinyforge" }),
  }).then((r) => r.text());

const isStatus = (sha: string, state: string) => (r: { path: string; body: Record<string, unknown> }) =>
  r.path.endsWith(`/statuses/${sha}`) && r.body.state === state;

describe("FakeApi.next", () => {
  it("hands a waiting caller the first matching request, recorded before or after it asked", async () => {
    const before = Date.now();
    await status("a".repeat(40), "pending");
    const already = await github.next(isStatus("a".repeat(40), "pending"));
    expect(already.at).toBeGreaterThanOrEqual(before);

    const later = github.next(isStatus("b".repeat(40), "success"));
    await status("b".repeat(40), "pending");
    await status("b".repeat(40), "success");
    expect((await later).body.state).toBe("success");
  });

  it("rejects when nothing matches in time", async () => {
    await expect(github.next(isStatus("c".repeat(40), "success"), 20)).rejects.toThrow(/no matching request/);
  });
});
