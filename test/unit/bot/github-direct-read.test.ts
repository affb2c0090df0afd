// On the way from a push to its pending status, the bot reads the branch's head and tinyforge.yml
// straight from the API with the installation token (one request each, no Octokit queue); any
// answer but a success or a 404 is asked again through Octokit, which handles rate limits and retries.
import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Installations } from "../../../bot/github/installations.js";
import { GitHubRepoApi } from "../../../bot/github/repo-api.js";
import { GitHubSource } from "../../../bot/sources/github.js";
import { FakeGitHub } from "../../fakes/github-server.js";

const TOKEN = "ghs_directread";
const SHA = "d".repeat(40);
const github = new FakeGitHub(TOKEN);
let api = "";
let octokitCalls = 0;
let repo: GitHubRepoApi;
let source: GitHubSource;

beforeAll(async () => {
  await github.start();
  api = `${github.url}/api/v3`;
  const octokit = new ProbotOctokit({ auth: { token: TOKEN }, baseUrl: api, retry: { enabled: false } });
  octokit.hook.before("request", () => {
    octokitCalls++;
  });
  github.data.commit(SHA, { "tinyforge.yml": "project: shop\n", "deploy/app.yml": "x: 1\n" }, "feature/x");
  repo = new GitHubRepoApi(
    octokit,
    "octo/shop",
    api,
    async () => "tinyforge[bot]",
    async () => TOKEN,
  );
  const installations = { token: async () => TOKEN, octokit: async () => octokit };
  source = new GitHubSource(installations as unknown as Installations, api);
});
afterAll(() => github.stop());

const reads = () => github.requests.filter((r) => r.method === "GET").map((r) => decodeURIComponent(r.path));

describe("the bot's reads before the pending status", () => {
  it("read the branch head and a file in one request each, with the installation token, not through Octokit", async () => {
    github.requests.length = 0;
    octokitCalls = 0;
    expect(await repo.branchHead("feature/x")).toBe(SHA);
    expect(await source.readFile("octo/shop", "tinyforge.yml", SHA)).toBe("project: shop\n");
    expect(await source.readFile("octo/shop", "deploy/app.yml", SHA)).toBe("x: 1\n");
    expect(reads()).toEqual([
      "/api/v3/repos/octo/shop/branches/feature/x",
      "/api/v3/repos/octo/shop/contents/tinyforge.yml",
      "/api/v3/repos/octo/shop/contents/deploy/app.yml",
    ]);
    expect(github.requests.every((r) => r.headers.authorization === `token ${TOKEN}`)).toBe(true);
    expect(octokitCalls).toBe(0);
  });

  it("share one kept-alive connection with each other and with the pending status that follows", async () => {
    github.requests.length = 0;
    await repo.branchHead("feature/x");
    await source.readFile("octo/shop", "tinyforge.yml", SHA);
    await repo.setStatus({
      sha: SHA,
      state: "pending",
      context: "tinyforge/production",
      description: "Deploying",
    });
    await source.readFile("octo/shop", "deploy/app.yml", SHA);
    expect(github.requests).toHaveLength(4);
    expect(new Set(github.requests.map((r) => r.clientPort)).size).toBe(1);
  });

  it("answer a missing branch or file as missing, without asking again", async () => {
    github.requests.length = 0;
    octokitCalls = 0;
    expect(await repo.branchHead("gone")).toBeUndefined();
    expect(await source.readFile("octo/shop", "nope.yml", SHA)).toBeUndefined();
    expect(github.requests).toHaveLength(2);
    expect(octokitCalls).toBe(0);
  });

  it.each([500, 403] as const)("ask again through Octokit when the API answers %i", async (status) => {
    const cases: Array<[() => Promise<string | undefined>, string]> = [
      [() => repo.branchHead("feature/x"), SHA],
      [() => source.readFile("octo/shop", "tinyforge.yml", SHA), "project: shop\n"],
    ];
    for (const [read, want] of cases) {
      github.requests.length = 0;
      octokitCalls = 0;
      github.mode = status;
      // Only the first request fails: the mode is read as each request is answered.
      const first = github
        .next(() => true)
        .then(() => {
          github.mode = "ok";
        });
      const got = await read();
      await first;
      expect(got).toBe(want);
      expect(github.requests).toHaveLength(2);
      expect(octokitCalls).toBe(1);
    }
  });
});
