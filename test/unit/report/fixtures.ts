// One deploy, as observers see it, for the pure reporter tests.
import type { DeployInfo, DeployResult } from "../../../src/deploy/types.js";

export const SHA = "0123456789abcdef0123456789abcdef01234567";

export const info: DeployInfo = {
  deployId: "01J0TESTDEPLOY0000000000000",
  project: "shop",
  workload: "web",
  stage: "production",
  tag: null,
  sha: SHA,
  ref: "main",
  strategy: "blue-green",
  host: "deploy@203.0.113.10:22",
};

export const steps = [
  { name: "lock", ms: 12, ok: true },
  { name: "pull", ms: 1500, ok: true },
  { name: "gate", ms: 2300, ok: true },
];

export const success: DeployResult = {
  deployId: info.deployId,
  workload: "web",
  stage: "production",
  tag: null,
  sha: SHA,
  strategy: "blue-green",
  outcome: "success",
  url: "http://stage-production-shop.example.com",
  container: "shop-web-production-01j0",
  previous: "shop-web-production-01hz",
  host: info.host,
  durationMs: 4200,
  servedMs: 3900,
  steps,
  error: null,
};

/** The bot announced it, then found the SHA already serving. */
export const unchanged: DeployResult = {
  ...success,
  outcome: "unchanged",
  previous: null,
  durationMs: 800,
  servedMs: null,
  steps: [{ name: "lock", ms: 12, ok: true }],
};

/** The bot announced it, then a newer push replaced it in the queue before it ran. */
export const superseded: DeployResult = {
  ...success,
  outcome: "superseded",
  url: null,
  container: null,
  previous: null,
  durationMs: 0,
  servedMs: null,
  steps: [],
};

export const failed: DeployResult = {
  ...success,
  outcome: "failed",
  url: "http://stage-production-shop.example.com",
  container: null,
  previous: null,
  steps: [...steps.slice(0, 2), { name: "gate", ms: 6000, ok: false }],
  error: {
    code: "health_timeout",
    message: "GET /healthz did not answer 2xx within 3 attempts",
    hint: "look at the container's log",
    detail: "the full story with the canary sk_live_CANARY inside",
  },
};
