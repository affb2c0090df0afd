// doctor's forge check against the GitHub and Gitea fakes: a classic token's scopes are read from
// X-OAuth-Scopes, a token without them is accepted as it is, a refused token is a problem.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkForge } from "../../../src/app/doctor/forge.js";
import type { Session } from "../../../src/app/session.js";
import { FakeGitHub } from "../../fakes/github-server.js";

const TOKEN = "ghp_doctor_token_1234567890";
let gh: FakeGitHub;

beforeEach(async () => {
  gh = await new FakeGitHub(TOKEN, "octo/shop").start();
});
afterEach(async () => {
  await gh.stop();
});

function session(token: string | undefined, forge: Record<string, unknown> | undefined): Session {
  return {
    config: { forge },
    credentials: { forge: { tokens: token ? { github: token } : {} }, notify: {}, proxy: {} },
  } as unknown as Session;
}

const github = () => ({ kind: "github", api: gh.url, repo: "octo/shop" });

describe("doctor: forge token", () => {
  it("accepts a classic token with the repo:status scope and names its scopes", async () => {
    gh.scopes = "read:org, repo:status";
    const [f] = await checkForge(session(TOKEN, github()));
    expect(f).toMatchObject({ check: "forge token", verdict: "ok" });
    expect(f!.detail).toBe("GITHUB_TOKEN accepted, scopes read:org, repo:status");
    expect(gh.calls(/^\/repos\/octo\/shop$/)).toHaveLength(1);
  });

  it("reports a classic token that cannot set commit statuses, with the scope to add", async () => {
    gh.scopes = "read:org, gist";
    const [f] = await checkForge(session(TOKEN, github()));
    expect(f!.verdict).toBe("problem");
    expect(f!.detail).toBe("GITHUB_TOKEN has scopes read:org, gist: none lets it set commit statuses");
    expect(f!.hint).toContain("repo:status");
  });

  it("accepts a token that lists no scopes (a job token or a fine-grained token)", async () => {
    const [f] = await checkForge(session(TOKEN, github()));
    expect(f).toMatchObject({ verdict: "ok", detail: "github accepts GITHUB_TOKEN" });
  });

  it("reports a token the forge refuses, without echoing it", async () => {
    const [f] = await checkForge(session("ghp_wrong_token_0987654321", github()));
    expect(f!.verdict).toBe("problem");
    expect(f!.detail).toBe("github refuses GITHUB_TOKEN: HTTP 401");
    expect(JSON.stringify(f)).not.toContain("ghp_wrong_token");
  });

  it("says no status is sent when the config names a forge but no token is set", async () => {
    const [f] = await checkForge(session(undefined, github()));
    expect(f).toMatchObject({ verdict: "skipped" });
    expect(f!.detail).toContain("no GITHUB_TOKEN set");
  });

  it("checks nothing when there is neither a forge nor a token", async () => {
    expect(await checkForge(session(undefined, undefined))).toEqual([]);
  });
});
