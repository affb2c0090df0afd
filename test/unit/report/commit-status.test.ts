// The commit status and GitHub deployment payloads of a deploy, exactly.
import { describe, expect, it } from "vitest";
import { makeRedactor } from "../../../src/events/redact.js";
import { commitStatus } from "../../../src/report/commit-status.js";
import { deploymentRequest, deploymentStatus } from "../../../src/report/github-deployment.js";
import { failed, info, SHA, success, superseded, unchanged } from "./fixtures.js";

const none = (t: string) => t;

describe("commit status", () => {
  it("pending at start, with no target URL yet", () => {
    expect(commitStatus(info, undefined, "tinyforge", 140, none)).toEqual({
      sha: SHA,
      state: "pending",
      context: "tinyforge",
      description: "Deploying web to production (blue-green)",
    });
  });

  it("success with the deployed URL", () => {
    expect(commitStatus(info, success, "tinyforge/production", 140, none)).toEqual({
      sha: SHA,
      state: "success",
      context: "tinyforge/production",
      description: "Deployed web to production in 4.2s",
      targetUrl: "http://stage-production-shop.example.com",
    });
  });

  it("failure with the public reason, never the detail, and no URL (the old version serves)", () => {
    const s = commitStatus(info, failed, "tinyforge", 140, none);
    expect(s).toEqual({
      sha: SHA,
      state: "failure",
      context: "tinyforge",
      description: "Deploy of web to production failed: GET /healthz did not answer 2xx within 3 attempts",
    });
  });

  it("an announced deploy of the SHA already serving ends as a success saying so, linking to it", () => {
    expect(commitStatus(info, unchanged, "tinyforge", 140, none)).toEqual({
      sha: SHA,
      state: "success",
      context: "tinyforge",
      description: "Already serving 0123456: web to production unchanged",
      targetUrl: "http://stage-production-shop.example.com",
    });
  });

  it("a push superseded before it ran is not a failure: a success saying it was not deployed, no URL", () => {
    expect(commitStatus(info, superseded, "tinyforge", 140, none)).toEqual({
      sha: SHA,
      state: "success",
      context: "tinyforge",
      description: "Not deployed: a newer push superseded web to production",
    });
  });

  it("names a tagged instance", () => {
    const tagged = { ...info, stage: "preview", tag: "pr-12" };
    expect(commitStatus(tagged, undefined, "tinyforge", 140, none).description).toBe(
      "Deploying web (pr-12) to preview (blue-green)",
    );
  });

  it("cuts the description at the forge's limit without splitting a character", () => {
    const long = { ...failed, error: { code: "deploy_failed", message: "🚀".repeat(200) } };
    const d = commitStatus(info, long, "tinyforge", 140, none).description;
    expect(Array.from(d)).toHaveLength(140);
    expect(d.endsWith("🚀…")).toBe(true);
    expect(d).not.toMatch(/[\uD800-\uDBFF]…$/);
  });

  it("redacts before cutting, so no half-secret survives the cut", () => {
    const secret = "sk_live_0123456789abcdef";
    const message = `${"x".repeat(100)} ${secret}`;
    const withSecret = { ...failed, error: { code: "deploy_failed", message } };
    const d = commitStatus(info, withSecret, "tinyforge", 140, makeRedactor([secret])).description;
    expect(d).not.toContain("sk_live");
    expect(d.endsWith("***")).toBe(true);
  });
});

describe("GitHub deployment", () => {
  it("one per stage; a tagged instance is a transient stage/tag environment", () => {
    expect(deploymentRequest(info, none)).toEqual({
      sha: SHA,
      environment: "production",
      transient: false,
      description: "Deploying web to production (blue-green)",
    });
    expect(deploymentRequest({ ...info, stage: "preview", tag: "pr-12" }, none)).toMatchObject({
      environment: "preview/pr-12",
      transient: true,
    });
  });

  it("in_progress, then success with the environment URL, or failure without", () => {
    expect(deploymentStatus(info, undefined, none)).toEqual({
      state: "in_progress",
      description: "Deploying web to production (blue-green)",
    });
    expect(deploymentStatus(info, success, none)).toEqual({
      state: "success",
      description: "Deployed web to production in 4.2s",
      environmentUrl: "http://stage-production-shop.example.com",
    });
    expect(deploymentStatus(info, failed, none)).toEqual({
      state: "failure",
      description: "Deploy of web to production failed: GET /healthz did not answer 2xx within 3 attempts",
    });
  });

  it("superseded before it ran: inactive (not the environment's deployment), not a failure", () => {
    expect(deploymentStatus(info, superseded, none)).toEqual({
      state: "inactive",
      description: "Not deployed: a newer push superseded web to production",
    });
    expect(deploymentStatus(info, unchanged, none)).toMatchObject({ state: "success" });
  });
});
