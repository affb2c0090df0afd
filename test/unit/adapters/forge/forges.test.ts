// Each forge adapter against its local fake: what arrives, and how every documented failure
// reads — the HTTP status only, never a word of the body, even one that quotes our token.
import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GitHubForge } from "../../../../src/adapters/forge/github.js";
import { GiteaForge } from "../../../../src/adapters/forge/gitea.js";
import { GitLabForge } from "../../../../src/adapters/forge/gitlab.js";
import type { CommitStatus, Forge } from "../../../../src/ports/forge.js";
import { FakeGitea } from "../../../fakes/gitea-server.js";
import { type FakeApi, FakeGitHub } from "../../../fakes/github-server.js";
import { FakeGitLab } from "../../../fakes/gitlab-server.js";

const TOKEN = "tok_Zq8sX2vB7nM4kL1pW9rT";
const SHA = "0123456789abcdef0123456789abcdef01234567";
const status: CommitStatus = {
  sha: SHA,
  state: "pending",
  context: "tinyforge",
  description: "Deploying web to production (blue-green)",
};

const github = new FakeGitHub(TOKEN, "octo/shop");
const gitea = new FakeGitea(TOKEN, "octo/shop");
const gitlab = new FakeGitLab(TOKEN, "group/shop");
const fakes: FakeApi[] = [github, gitea, gitlab];

beforeAll(async () => {
  for (const f of fakes) await f.start();
});
afterAll(async () => {
  for (const f of fakes) await f.stop();
});
afterEach(() => {
  for (const f of fakes) f.mode = "ok";
});

const TIMEOUT = 300;
const cases: Array<{ name: string; fake: FakeApi; make: (token?: string) => Forge; label: string }> = [
  {
    name: "github",
    fake: github,
    make: (t = TOKEN) => new GitHubForge(github.url, "octo/shop", t, TIMEOUT),
    label: "GitHub",
  },
  {
    name: "gitea",
    fake: gitea,
    make: (t = TOKEN) => new GiteaForge(gitea.api, "octo/shop", t, TIMEOUT),
    label: "Gitea",
  },
  {
    name: "gitlab",
    fake: gitlab,
    make: (t = TOKEN) => new GitLabForge(gitlab.api, "group/shop", t, TIMEOUT),
    label: "GitLab",
  },
];

describe.each(cases)("$name commit status", ({ fake, make, label }) => {
  it("arrives with the state, context, description and target URL", async () => {
    const forge = make();
    const n = fake.requests.length;
    await forge.setStatus(status);
    await forge.setStatus({
      ...status,
      state: "success",
      description: "Deployed",
      targetUrl: "http://w.example",
    });
    const got = fake.requests.slice(n).map((r) => r.body);
    const nameKey = label === "GitLab" ? "name" : "context";
    expect(got).toEqual([
      { state: "pending", [nameKey]: "tinyforge", description: status.description },
      { state: "success", [nameKey]: "tinyforge", description: "Deployed", target_url: "http://w.example" },
    ]);
    expect(fake.requests.at(-1)!.path).toMatch(new RegExp(`/statuses/${SHA}$`));
  });

  it.each([401, 403, 404, 422, 500] as const)("HTTP %i: names the status, nothing else", async (code) => {
    fake.mode = code;
    await expect(make().setStatus(status)).rejects.toThrow(new RegExp(`^${label} answered HTTP ${code}$`));
  });

  it("a wrong token is the forge's 401", async () => {
    await expect(make("wrong-token").setStatus(status)).rejects.toThrow(`${label} answered HTTP 401`);
  });

  it("a body quoting our token is never repeated", async () => {
    fake.mode = "reflect";
    const err = await make()
      .setStatus(status)
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(err?.message).toBe(`${label} answered HTTP 401`);
    expect(JSON.stringify(err)).not.toContain(TOKEN);
    expect(String(err?.stack)).not.toContain(TOKEN);
  });

  it("a forge that never answers is cut off at the timeout", async () => {
    fake.mode = "hang";
    const t0 = Date.now();
    await expect(make().setStatus(status)).rejects.toThrow(`${label}: no answer within ${TIMEOUT}ms`);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("a slow forge within the timeout is fine", async () => {
    fake.mode = { slowMs: 50 };
    await expect(make().setStatus(status)).resolves.toBeUndefined();
  });
});

describe("GitHub deployments", () => {
  it("creates one deployment despite our own pending status, then its statuses", async () => {
    const forge = new GitHubForge(github.url, "octo/shop", TOKEN, TIMEOUT);
    await forge.setStatus(status); // pending on the same SHA: GitHub's default would refuse (409)
    const id = await forge.createDeployment({
      sha: SHA,
      environment: "preview/pr-7",
      transient: true,
      description: "Deploying",
    });
    await forge.setDeploymentStatus(id, { state: "in_progress", description: "Deploying" });
    await forge.setDeploymentStatus(id, {
      state: "success",
      description: "Deployed",
      environmentUrl: "http://w.example",
    });
    const d = github.deployments.find((x) => x.id === id)!;
    expect(d).toMatchObject({ sha: SHA, environment: "preview/pr-7", transient_environment: true });
    expect(d.statuses).toEqual([
      { state: "in_progress", description: "Deploying" },
      { state: "success", description: "Deployed", environment_url: "http://w.example" },
    ]);
  });

  it("a status on an unknown deployment is GitHub's 404", async () => {
    const forge = new GitHubForge(github.url, "octo/shop", TOKEN, TIMEOUT);
    await expect(forge.setDeploymentStatus(999_999, { state: "success", description: "x" })).rejects.toThrow(
      "GitHub answered HTTP 404",
    );
  });
});

describe("redirects and refused addresses", () => {
  let redirector: Server;
  let hits: string[];
  let base = "";
  beforeAll(async () => {
    hits = [];
    redirector = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.writeHead(307, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(redirector.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => redirector.close(() => r())));

  it.each([
    ["github", () => new GitHubForge(base, "octo/shop", TOKEN, TIMEOUT), "GitHub"],
    ["gitea", () => new GiteaForge(`${base}/api/v1`, "octo/shop", TOKEN, TIMEOUT), "Gitea"],
    ["gitlab", () => new GitLabForge(`${base}/api/v4`, "g/p", TOKEN, TIMEOUT), "GitLab"],
  ] as const)("%s: a redirect is a failure, not followed", async (_n, make, label) => {
    hits.length = 0;
    await expect(make().setStatus(status)).rejects.toThrow(`${label} answered HTTP 307`);
    expect(hits).toHaveLength(1);
  });

  it.each([
    "http://169.254.169.254/api/v1",
    "http://[fe80::1]/api/v1",
    "http://[::ffff:169.254.169.254]/api/v1",
    "http://metadata.google.internal/api/v1",
    "http://100.100.100.200/api/v1",
  ])("refuses %s before any connection", async (api) => {
    await expect(new GiteaForge(api, "octo/shop", TOKEN, TIMEOUT).setStatus(status)).rejects.toThrow(
      /^Gitea: refused .*(link-local or cloud-metadata address|cloud-metadata name)$/,
    );
  });
});
