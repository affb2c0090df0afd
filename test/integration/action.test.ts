// The bundled action run exactly as a runner runs the composite step: dist/action.js with the
// step's env (INPUT_* passed through), a real push payload from @octokit/webhooks-examples at
// GITHUB_EVENT_PATH, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files — against the real engine over
// sshd and a fake forge.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FakeGitea } from "../fakes/gitea-server.js";
import { FakeGitHub } from "../fakes/github-server.js";
import { main } from "../../src/cli/main.js";
import {
  type App,
  commitAll,
  docker,
  fastHealth,
  get,
  makeApp,
  projectContainers,
  readState,
  removeProject,
  removeProjectAndImages,
  sshHost,
  tb,
} from "./harness.js";
import { uniqueName } from "./testbed.js";

const root = join(import.meta.dirname, "..", "..");
const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as Array<{
  name: string;
  examples: unknown[];
}>;
const pushExample = examples.find((e) => e.name === "push")!.examples[0] as Record<string, unknown>;
const sshKey = readFileSync(tb.sshKeyFile, "utf8");
const knownHosts = readFileSync(tb.knownHostsFile, "utf8");
const TOKEN = "ghs_actionTokenCanary1234567890";

const apps: App[] = [];
let github: FakeGitHub;
let gitea: FakeGitea;
beforeAll(async () => {
  // The action runs from dist/: make sure it is this tree's (CI has checked it is committed fresh).
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root });
  github = await new FakeGitHub(TOKEN).start();
  gitea = await new FakeGitea(TOKEN).start();
});
afterAll(async () => {
  await github.stop();
  await gitea.stop();
  for (const a of apps) await removeProject(a.project);
});

interface Run {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses GITHUB_OUTPUT's `name<<DELIM\nvalue\nDELIM` records. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

function runAction(
  app: App,
  sha: string,
  extraEnv: Record<string, string> = {},
  /** The event's payload (GITHUB_EVENT_NAME in extraEnv says which); a push to main by default. */
  payload: object = { ...pushExample, ref: "refs/heads/main", after: sha },
): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "tf-runner-"));
  const event = join(dir, "event.json");
  writeFileSync(event, JSON.stringify(payload));
  const files = { GITHUB_OUTPUT: join(dir, "output"), GITHUB_STEP_SUMMARY: join(dir, "summary") };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/root",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "push",
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: sha,
    GITHUB_REF: "refs/heads/main",
    GITHUB_REPOSITORY: "octo/shop",
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_ACTION_PATH: root,
    ...files,
    // What action.yml's env: block hands the step (every input, empty when not given).
    INPUT_CONFIG: join(app.dir, "tinyforge.yml"),
    INPUT_WORKLOAD: "",
    INPUT_STAGE: "",
    "INPUT_SSH-KEY": sshKey,
    "INPUT_KNOWN-HOSTS": knownHosts,
    INPUT_TOKEN: TOKEN,
    "INPUT_SLACK-TOKEN": "",
    "INPUT_SLACK-WEBHOOK": "",
    INPUT_STRATEGY: "",
    ...extraEnv,
  };
  const child = spawn(process.execPath, [join(root, "dist/action.js")], {
    cwd: app.dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stdout += d));
  return new Promise((resolve) =>
    child.on("close", (code) =>
      resolve({
        code,
        stdout,
        outputs: parseOutputs(readFileSync(files.GITHUB_OUTPUT, "utf8")),
        summary: readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"),
      }),
    ),
  );
}

function app(): App {
  const a = makeApp({
    web: {
      source: "image",
      image: `${tb.registry}/tinyforge/web:{ref}`,
      port: 8080,
      healthcheck: fastHealth,
      drain: "100ms",
      stop_timeout: "1s",
    },
  });
  apps.push(a);
  return a;
}

/** The SSH key may reach stdout only inside the runner's ::add-mask:: commands. */
function expectKeyMasked(stdout: string) {
  const visible = stdout
    .split("\n")
    .filter((l) => !l.startsWith("::add-mask::"))
    .join("\n");
  for (const line of sshKey.split("\n").filter((l) => l.length > 8 && !l.startsWith("-----")))
    expect(visible).not.toContain(line);
  expect(visible).not.toContain(TOKEN);
}

describe("the action, as a runner runs it", () => {
  it("deploys on push: outputs, job summary, statuses pending → success", async () => {
    const a = app();
    a.write({
      ...a.config,
      workloads: {
        web: { ...(a.config.workloads as { web: object }).web, image: `${tb.registry}/tinyforge/web:v1` },
      },
    });
    const sha = "a".repeat(40);
    const r = await runAction(a, sha);
    expect(r.code).toBe(0);
    expect(r.outputs.outcome).toBe("success");
    expect(r.outputs["deploy-id"]).toMatch(/^[0-9A-Z]{26}$/);
    expect((await get(r.outputs.url!)).body).toBe("v1");
    expect(r.summary).toContain("tinyforge: web → production");
    expect(r.summary).toMatch(/<td>gate<\/td><td>\d+(\.\d)?m?s<\/td><td>✓<\/td>/);
    expect(r.summary).toContain(r.outputs.url!);
    const mine = github.statuses.filter((s) => s.sha === sha);
    expect(mine.map((s) => [s.state, s.context])).toEqual([
      ["pending", "tinyforge"],
      ["success", "tinyforge"],
    ]);
    expect(mine[1]?.target_url).toBe(r.outputs.url);
    expectKeyMasked(r.stdout);
  });

  it("begins the SSH login before it loads, with the inputs' key, and the deploy takes that login", async () => {
    const a = app();
    a.write({
      ...a.config,
      workloads: {
        web: { ...(a.config.workloads as { web: object }).web, image: `${tb.registry}/tinyforge/web:v1` },
      },
    });
    // The environment's key is not the one to use: the input's comes first, as for the deploy.
    const r = await runAction(a, "e".repeat(40), {
      TINYFORGE_TRACE: "1",
      TINYFORGE_SSH_KEY: "not a key",
    });
    expect(r.code).toBe(0);
    expect(r.outputs.outcome).toBe("success");
    expect(r.stdout).toMatch(/trace @\d+ login ssh:\/\/\S+ \(early\)/);
    expect(r.stdout).toMatch(/trace @\d+ connect ssh:\/\/\S+ \(login begun early\)/);
    expectKeyMasked(r.stdout);
  });

  it("for a pull request, begins the login for the preview stage, and the preview's deploy takes it", async () => {
    const a = app();
    a.write({
      ...a.config,
      workloads: {
        web: { ...(a.config.workloads as { web: object }).web, image: `${tb.registry}/tinyforge/web:v1` },
      },
    });
    const sha = "f".repeat(40);
    const pr = { action: "opened", number: 7, pull_request: { number: 7, head: { sha, ref: "feature" } } };
    const r = await runAction(
      a,
      sha,
      { TINYFORGE_TRACE: "1", GITHUB_EVENT_NAME: "pull_request", GITHUB_REF: "refs/pull/7/merge" },
      pr,
    );
    expect(r.code).toBe(0);
    expect(r.outputs.outcome).toBe("success");
    expect(r.stdout).toMatch(/trace @\d+ login ssh:\/\/\S+ \(early\)/);
    expect(r.stdout).toMatch(/trace @\d+ connect ssh:\/\/\S+ \(login begun early\)/);
  });

  it("a failing deploy fails the step, reports failure, and leaves the old version serving", async () => {
    const a = app();
    const set = (image: string) =>
      a.write({
        ...a.config,
        workloads: { web: { ...(a.config.workloads as { web: object }).web, image, pull: "missing" } },
      });
    set(`${tb.registry}/tinyforge/web:v1`);
    expect((await runAction(a, "b".repeat(40))).code).toBe(0);
    set("tinyforge/web:crash");
    const sha = "c".repeat(40);
    const r = await runAction(a, sha);
    expect(r.code).not.toBe(0);
    expect(r.outputs.outcome).toBe("failed");
    expect(r.stdout).toMatch(/::error::deploy of web to production failed: .*before it passed its gate/);
    expect(r.summary).toContain("Failed at step **gate**");
    expect(r.summary).toContain("tinyforge test image: exiting 1 on purpose");
    expect(github.statuses.filter((s) => s.sha === sha).map((s) => s.state)).toEqual(["pending", "failure"]);
    const st = readState(a, "web.production")!;
    expect(st.active?.sha).toBe("b".repeat(40));
    expect((await get(st.active!.url)).body).toBe("v1");
    expect(await projectContainers(a.project)).toHaveLength(1);
    expectKeyMasked(r.stdout);
  });

  it("in Gitea Actions, sets the status through the Gitea API found from the run's environment", async () => {
    const a = app();
    a.write({
      ...a.config,
      workloads: {
        web: { ...(a.config.workloads as { web: object }).web, image: `${tb.registry}/tinyforge/web:v2` },
      },
    });
    const sha = "d".repeat(40);
    const r = await runAction(a, sha, {
      GITEA_ACTIONS: "true",
      GITHUB_API_URL: gitea.api,
      GITHUB_SERVER_URL: gitea.url,
    });
    expect(r.code).toBe(0);
    expect(gitea.statuses.filter((s) => s.sha === sha).map((s) => [s.state, s.context])).toEqual([
      ["pending", "tinyforge"],
      ["success", "tinyforge"],
    ]);
  });

  it("dist/ is self-contained: the bundle runs from a directory with no node_modules", async () => {
    const bare = mkdtempSync(join(tmpdir(), "tf-bare-"));
    cpSync(join(root, "dist"), join(bare, "dist"), { recursive: true });
    const r = spawnSync(process.execPath, [join(bare, "dist/action.js")], {
      cwd: bare,
      env: { PATH: process.env.PATH ?? "", INPUT_CONFIG: join(bare, "missing.yml") },
      encoding: "utf8",
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/^::error::config file not found: .*missing\.yml/m);
  });

  it("bad input is a clear failure that touches nothing", async () => {
    const a = app();
    const r = await runAction(a, "e".repeat(40), { INPUT_STRATEGY: "rolling" });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/::error::input strategy: /);
    expect(await projectContainers(a.project)).toEqual([]);
  });
});

/** The README's GitHub workflow, as a user copies it. */
function readmeWorkflow(): { jobs: { deploy: { if: string; steps: Array<Record<string, unknown>> } } } {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = /```yaml\n(# \.github\/workflows\/deploy\.yml\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error("README has no .github/workflows/deploy.yml block");
  return parse(block[1]!);
}

/**
 * The env a runner gives the README's tinyforge step: each `with:` input (action.yml's default
 * when absent) as the INPUT_ name action.yml passes on, and the step's own `env:`, with
 * `${{ secrets.X }}` and `${{ github.token }}` filled in as a runner would.
 */
function readmeStepEnv(secrets: Record<string, string>): Record<string, string> {
  return stepEnv(readmeWorkflow().jobs.deploy.steps, secrets);
}

/** The env a runner gives a workflow's tinyforge step (as readmeStepEnv says). */
function stepEnv(
  steps: Array<Record<string, unknown>>,
  secrets: Record<string, string>,
): Record<string, string> {
  const step = steps.find((st) => String(st.uses).startsWith("tinyforge/"))!;
  const expand = (v: unknown) =>
    String(v).replace(/\$\{\{\s*(secrets\.(\w+)|github\.token)\s*\}\}/g, (_m, _e, name?: string) =>
      name ? (secrets[name] ?? "") : TOKEN,
    );
  const action = parse(readFileSync(join(root, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string }>;
  };
  const withs = (step.with ?? {}) as Record<string, unknown>;
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    if (name === "config") continue; // the test's app lives elsewhere than the checkout's root
    env[`INPUT_${name.toUpperCase()}`] = expand(withs[name] ?? input.default ?? "");
  }
  for (const [k, v] of Object.entries((step.env ?? {}) as Record<string, unknown>)) env[k] = expand(v);
  return env;
}

describe("the README's workflow", () => {
  it("pins a release of the action and skips fork pull requests", () => {
    const wf = readmeWorkflow();
    const uses = wf.jobs.deploy.steps.map((st) => st.uses).filter((u) => String(u).startsWith("tinyforge/"));
    expect(uses).toEqual([expect.stringMatching(/^tinyforge\/tinyforge@v\d+\.\d+\.\d+$/)]);
    expect(wf.jobs.deploy.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
  });

  it("its tinyforge step deploys, handing a workload's secrets to the container through env:", async () => {
    const a = app();
    const canary = "postgres://app:readme-canary-5150@db/app";
    a.write({
      ...a.config,
      workloads: {
        web: {
          ...(a.config.workloads as { web: object }).web,
          image: `${tb.registry}/tinyforge/web:v1`,
          secrets: ["DATABASE_URL"],
        },
      },
    });
    const secrets = { DEPLOY_SSH_KEY: sshKey, DEPLOY_KNOWN_HOSTS: knownHosts, DATABASE_URL: canary };
    const r = await runAction(a, "f".repeat(40), readmeStepEnv(secrets));
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.outcome).toBe("success");
    const [c] = await projectContainers(a.project);
    expect((await docker.getContainer(c!.Id).inspect()).Config.Env).toContain(`DATABASE_URL=${canary}`);
    expect(r.stdout).not.toContain(canary);
  });

  it("a fork's pull request run (no secrets) fails at once saying so, and deploys nothing", async () => {
    const a = app();
    const r = await runAction(a, "0".repeat(40), readmeStepEnv({}));
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/::error::.*no SSH key/);
    expect(await projectContainers(a.project)).toEqual([]);
  });
});

describe("the workflow `tinyforge init` writes", () => {
  it("its tinyforge step deploys examples/hello from a push to the detected branch", async () => {
    // A unique directory name: the project is named after it, apart from the demo's "hello".
    const dir = join(mkdtempSync(join(tmpdir(), "tf-init-wf-")), uniqueName("hello"));
    cpSync(join(root, "examples/hello"), dir, { recursive: true });
    rmSync(join(dir, "tinyforge.yml"));
    commitAll(dir, "the app");
    const init = await main(["init", dir, "--yes", "--host", sshHost, "--known-hosts", tb.knownHostsFile], {
      io: { out: () => undefined, err: () => undefined },
      env: { HOME: mkdtempSync(join(tmpdir(), "tf-home-")) },
      isTTY: false,
    });
    expect(init).toBe(0);
    appendFileSync(join(dir, "tinyforge.yml"), `state_dir: ${mkdtempSync(join(tmpdir(), "tf-state-"))}\n`);
    const sha = commitAll(dir, "deploy with tinyforge");
    const a = { dir, project: parse(readFileSync(join(dir, "tinyforge.yml"), "utf8")).project } as App;
    const workflow = parse(readFileSync(join(dir, ".github/workflows/deploy.yml"), "utf8"));
    expect(workflow.on.push.branches).toEqual(["main"]);
    const secrets = { DEPLOY_SSH_KEY: sshKey, DEPLOY_KNOWN_HOSTS: knownHosts };
    try {
      const r = await runAction(a, sha, stepEnv(workflow.jobs.deploy.steps, secrets));
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs.outcome).toBe("success");
      expect((await get(r.outputs.url!)).body).toContain("hello");
    } finally {
      await removeProjectAndImages(a.project);
    }
  }, 300_000);
});
