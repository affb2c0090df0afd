// Each forge's status request, exactly: the path, the state word it uses, and no target_url
// while there is no URL.
import { describe, expect, it } from "vitest";
import {
  githubDeploymentParams,
  githubDeploymentStatusParams,
  githubStatusParams,
} from "../../../../src/adapters/forge/github.js";
import { giteaStatusRequest } from "../../../../src/adapters/forge/gitea.js";
import { gitlabStatusRequest } from "../../../../src/adapters/forge/gitlab.js";
import type { CommitStatus } from "../../../../src/ports/forge.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const pending: CommitStatus = { sha: SHA, state: "pending", context: "tinyforge", description: "Deploying" };
const failure: CommitStatus = { ...pending, state: "failure", description: "failed" };
const success: CommitStatus = {
  ...pending,
  state: "success",
  description: "ok",
  targetUrl: "http://w.example",
};

describe("GitHub", () => {
  it("commit status params", () => {
    expect(githubStatusParams("octo/shop", pending)).toEqual({
      owner: "octo",
      repo: "shop",
      sha: SHA,
      state: "pending",
      context: "tinyforge",
      description: "Deploying",
    });
    expect(githubStatusParams("octo/shop", success)).toMatchObject({
      state: "success",
      target_url: "http://w.example",
    });
    expect(githubStatusParams("octo/shop", failure).state).toBe("failure");
  });

  it("deployment params never auto-merge nor wait for our own pending status", () => {
    expect(
      githubDeploymentParams("octo/shop", {
        sha: SHA,
        environment: "preview/pr-12",
        transient: true,
        description: "Deploying web",
      }),
    ).toEqual({
      owner: "octo",
      repo: "shop",
      ref: SHA,
      task: "deploy",
      environment: "preview/pr-12",
      transient_environment: true,
      description: "Deploying web",
      auto_merge: false,
      required_contexts: [],
    });
    expect(
      githubDeploymentStatusParams("octo/shop", 42, {
        state: "success",
        description: "Deployed",
        environmentUrl: "http://w.example",
      }),
    ).toEqual({
      owner: "octo",
      repo: "shop",
      deployment_id: 42,
      state: "success",
      description: "Deployed",
      environment_url: "http://w.example",
    });
  });

  it("refuses a repository that is not owner/name", () => {
    expect(() => githubStatusParams("octo", pending)).toThrow(/owner\/name/);
  });
});

describe("Gitea", () => {
  it("POSTs to /repos/{owner}/{repo}/statuses/{sha} under the API base", () => {
    expect(giteaStatusRequest("https://git.example/api/v1/", "octo/shop", success)).toEqual({
      method: "POST",
      url: `https://git.example/api/v1/repos/octo/shop/statuses/${SHA}`,
      body: { state: "success", context: "tinyforge", description: "ok", target_url: "http://w.example" },
    });
    expect(giteaStatusRequest("https://git.example/api/v1", "octo/shop", failure).body).toEqual({
      state: "failure",
      context: "tinyforge",
      description: "failed",
    });
  });
});

describe("GitLab", () => {
  it("names the context, says failed, and encodes a subgroup path as one segment", () => {
    expect(gitlabStatusRequest("https://gitlab.example/api/v4", "group/sub/shop", failure)).toEqual({
      method: "POST",
      url: `https://gitlab.example/api/v4/projects/group%2Fsub%2Fshop/statuses/${SHA}`,
      body: { state: "failed", name: "tinyforge", description: "failed" },
    });
    expect(gitlabStatusRequest("https://gitlab.example/api/v4", "g/p", pending).body.state).toBe("pending");
    expect(gitlabStatusRequest("https://gitlab.example/api/v4", "g/p", success).body).toMatchObject({
      state: "success",
      target_url: "http://w.example",
    });
  });
});
