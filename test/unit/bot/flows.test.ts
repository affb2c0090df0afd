import { describe, expect, it } from "vitest";
import { parseBotConfig } from "../../../bot/config.js";
import { ForgeFlows } from "../../../bot/forge/flows.js";
import { PreviewComments } from "../../../bot/forge/preview.js";
import { Tasks } from "../../../bot/forge/tasks.js";
import { silentLogger } from "../../../bot/forge/types.js";
import { KeyedQueue } from "../../../bot/queue.js";
import type { BotRunner, Outcome, Prepared, Trigger } from "../../../bot/runner.js";
import { TinyforgeError } from "../../../src/errors.js";
import { FakeRepoApi } from "./fake-repo-api.js";

const SHA = "a".repeat(40);

/** A runner that records triggers and answers from `prepare`. */
function stubRunner(prepare: (t: Trigger) => Prepared | undefined | Promise<never>) {
  const prepared: Trigger[] = [];
  const submitted: Trigger[] = [];
  /** "project@sha" of each tinyforge.yml read started ahead of prepare(). */
  const configReads: string[] = [];
  /** Triggers on their way to their pending status (setOut, not yet arrived). */
  const onTheirWay = { count: 0 };
  const runner = {
    setOut() {
      onTheirWay.count++;
      let arrived = false;
      return () => {
        if (!arrived) onTheirWay.count--;
        arrived = true;
      };
    },
    readConfig(project: string, sha: string) {
      configReads.push(`${project}@${sha}`);
      return Promise.resolve("project: shop\n");
    },
    async prepare(t: Trigger) {
      prepared.push(t);
      return prepare(t);
    },
    async submit(t: Trigger, p: Prepared): Promise<Outcome[]> {
      submitted.push(t);
      return p.workloads.map((workload) => ({
        workload,
        stage: p.stage,
        tag: p.tag ?? t.tag ?? null,
        outcome: t.kind === "teardown" ? ("removed" as const) : ("superseded" as const),
        lines: [],
      }));
    },
  } as unknown as BotRunner;
  return { runner, prepared, submitted, configReads, onTheirWay };
}

// As the runner decides it: a PR on the pull_requests stage (preview) gets its pr-N instance.
const ready = (stage: string, t?: Trigger): Prepared => ({
  session: {
    config: { stages: { production: { branch: "main" }, preview: { pull_requests: true } } },
  } as unknown as Prepared["session"],
  stage,
  ...(t?.tag ? { tag: t.tag } : stage === "preview" && t?.pr ? { tag: `pr-${t.pr}` } : {}),
  workloads: ["web"],
  ignored: [],
  cleanup() {},
});

function setup(
  prepare: Parameters<typeof stubRunner>[0] = (t) => ready(t.stage ?? "preview", t),
  forks = false,
) {
  const config = parseBotConfig(
    `projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n    forks: ${forks}\n`,
  );
  const r = stubRunner(prepare);
  const tasks = new Tasks(new KeyedQueue(), silentLogger);
  const flows = new ForgeFlows({
    config,
    runner: r.runner,
    tasks,
    previews: new PreviewComments(silentLogger),
    log: silentLogger,
  });
  const api = new FakeRepoApi();
  for (const branch of ["main", "docs"]) api.heads.set(branch, SHA);
  return { ...r, flows, tasks, api };
}

describe("push", () => {
  it("tags, deletions and unknown repos deploy nothing", async () => {
    const s = setup();
    expect(s.flows.push(s.api, { ref: "refs/tags/v1", after: SHA, deleted: false })).toMatch(/^ignored/);
    expect(s.flows.push(s.api, { ref: "refs/heads/main", after: "0".repeat(40), deleted: true })).toMatch(
      /^ignored/,
    );
    expect(
      s.flows.push(new FakeRepoApi("other/repo"), { ref: "refs/heads/main", after: SHA, deleted: false }),
    ).toMatch(/^ignored: no project/);
    await s.tasks.whenIdle();
    expect(s.prepared).toEqual([]);
  });

  it("a branch push is a superseding deploy of the branch's stage, with the forge's env", async () => {
    const s = setup();
    expect(s.flows.push(s.api, { ref: "refs/heads/main", after: SHA, deleted: false })).toBe("queued");
    await s.tasks.whenIdle();
    expect(s.submitted[0]).toMatchObject({
      project: "shop",
      sha: SHA,
      ref: "main",
      kind: "deploy",
      supersedes: true,
      trigger: "push",
      forge: { kind: "github", tokens: { github: "t" } },
    });
    expect(s.submitted[0]!.stage).toBeUndefined();
  });

  it("a push whose SHA is no longer its branch's head (or whose branch is gone) deploys nothing", async () => {
    const s = setup();
    s.api.heads.set("main", "c".repeat(40));
    s.flows.push(s.api, { ref: "refs/heads/main", after: SHA, deleted: false });
    s.flows.push(s.api, { ref: "refs/heads/gone", after: SHA, deleted: false });
    await s.tasks.whenIdle();
    // The installation's credentials are asked for beside the head (one round trip), unused here.
    expect(s.api.calls).toEqual([
      "branchHead main",
      "forgeCredentials",
      "branchHead gone",
      "forgeCredentials",
    ]);
    expect(s.prepared).toEqual([]);
    expect(s.api.statuses).toEqual([]);
  });

  it("a push is on its way to its pending status from its webhook until it deploys or stops", async () => {
    const s = setup((t) => (t.ref === "docs" ? undefined : ready("production", t)));
    s.api.heads.set("main", "c".repeat(40));
    s.api.heads.set("live", SHA);
    s.flows.push(s.api, { ref: "refs/heads/main", after: SHA, deleted: false }); // not the head
    s.flows.push(s.api, { ref: "refs/heads/docs", after: SHA, deleted: false }); // no stage
    s.flows.push(s.api, { ref: "refs/heads/live", after: SHA, deleted: false }); // deploys
    expect(s.onTheirWay.count).toBe(3);
    await s.tasks.whenIdle();
    expect(s.onTheirWay.count).toBe(0);
    // The deploying one is told when it got there by the runner (once its pendings are begun).
    expect(s.submitted.map((t) => typeof t.arrived)).toEqual(["function"]);
  });

  it("a push asks for its tinyforge.yml beside the branch head, and prepare takes that read", async () => {
    const s = setup();
    s.flows.push(s.api, { ref: "refs/heads/main", after: SHA, deleted: false });
    await s.tasks.whenIdle();
    expect(s.configReads).toEqual([`shop@${SHA}`]);
    expect(await s.prepared[0]!.configText).toBe("project: shop\n");
  });

  it("operator-only keys the repo set are named once, in a status of their own", async () => {
    const s = setup((t) => ({ ...ready("production", t), ignored: ["hosts", "proxy"] }));
    s.flows.push(s.api, { ref: "refs/heads/main", after: SHA, deleted: false });
    await s.tasks.whenIdle();
    expect(s.api.statuses).toEqual([
      {
        sha: SHA,
        state: "success",
        context: "tinyforge/config",
        description: "ignored in the repo's config (the bot's operator sets them): hosts, proxy",
      },
    ]);
    expect(s.submitted).toHaveLength(1);
  });

  it("the ignored keys' status does not hold up the deploy (and its pending status)", async () => {
    const s = setup((t) => ({ ...ready("production", t), ignored: ["hosts"] }));
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const setStatus = s.api.setStatus.bind(s.api);
    s.api.setStatus = async (st) => {
      await slow;
      await setStatus(st);
    };
    s.flows.push(s.api, { ref: "refs/heads/main", after: SHA, deleted: false });
    const deadline = Date.now() + 2000;
    while (s.submitted.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(s.submitted).toHaveLength(1);
    expect(s.api.statuses).toEqual([]);
    release();
    // The bot is idle only once that status went out too.
    await s.tasks.whenIdle();
    expect(s.api.statuses.map((x) => x.context)).toEqual(["tinyforge/config"]);
  });

  it("a refused checkout (too large, escaping links) is a failed status saying why", async () => {
    const s = setup(() =>
      Promise.reject(
        new TinyforgeError(
          "checkout_refused",
          "GitHub tarball refused: more than checkout_entries (50) entries",
        ),
      ),
    );
    s.flows.push(s.api, { ref: "refs/heads/main", after: SHA, deleted: false });
    await s.tasks.whenIdle();
    expect(s.api.statuses).toEqual([
      {
        sha: SHA,
        state: "failure",
        context: "tinyforge",
        description: "Not deployed: GitHub tarball refused: more than checkout_entries (50) entries",
      },
    ]);
  });

  it("a branch without tinyforge.yml: no status, no noise", async () => {
    const s = setup(() => Promise.reject(new TinyforgeError("not_found", "tinyforge.yml not found")));
    s.flows.push(s.api, { ref: "refs/heads/docs", after: SHA, deleted: false });
    await s.tasks.whenIdle();
    expect(s.api.statuses).toEqual([]);
  });
});

describe("pull requests", () => {
  it("a fork's PR: nothing runs, no API call, unless the project opted in", async () => {
    const s = setup();
    const pr = { action: "opened", number: 4, headSha: SHA, headRef: "x", headRepo: "evil/shop" };
    expect(s.flows.pullRequest(s.api, pr)).toMatch(/fork/);
    await s.tasks.whenIdle();
    expect(s.api.calls).toEqual([]);
    expect(s.prepared).toEqual([]);

    const opted = setup(undefined, true);
    expect(opted.flows.pullRequest(opted.api, pr)).toBe("preview queued");
    await opted.tasks.whenIdle();
    expect(opted.submitted[0]).toMatchObject({ preview: true, tag: "pr-4", kind: "deploy" });
  });

  it("closed is a teardown of pr-N; other actions are ignored", async () => {
    const s = setup();
    expect(
      s.flows.pullRequest(s.api, {
        action: "assigned",
        number: 4,
        headSha: SHA,
        headRef: "x",
        headRepo: "octo/shop",
      }),
    ).toMatch(/^ignored/);
    s.flows.pullRequest(s.api, {
      action: "closed",
      number: 4,
      headSha: SHA,
      headRef: "x",
      headRepo: "octo/shop",
    });
    await s.tasks.whenIdle();
    expect(s.submitted.map((t) => [t.kind, t.tag, t.preview])).toEqual([["teardown", "pr-4", true]]);
  });

  it("an invalid config: a failed status naming the key path and the problem in the PR comment", async () => {
    const s = setup(() =>
      Promise.reject(
        new TinyforgeError("config_invalid", "x: 1 error in config", {
          details: [
            'workloads.web.deploy_strategy: must be one of "", "recreate", "blue-green" (got "rolling")',
          ],
        }),
      ),
    );
    s.flows.pullRequest(s.api, {
      action: "opened",
      number: 4,
      headSha: SHA,
      headRef: "x",
      headRepo: "octo/shop",
    });
    await s.tasks.whenIdle();
    expect(s.api.statuses).toEqual([
      expect.objectContaining({ sha: SHA, state: "failure", context: "tinyforge" }),
    ]);
    expect(s.api.statuses[0]!.description).toMatch(
      /^Invalid tinyforge\.yml: workloads\.web\.deploy_strategy/,
    );
    expect(s.api.comments_[0]!.body).toContain("workloads.web.deploy_strategy");
    expect(s.submitted).toEqual([]);
  });
});

describe("comment commands", () => {
  const comment = (body: string, user = "alice") => ({
    issue: 4,
    isPull: true,
    commentId: 55,
    body,
    user,
    bot: false,
  });
  const open = { number: 4, open: true, headSha: SHA, headRef: "feature", headRepo: "octo/shop" };

  it("someone without write access gets a polite refusal; nothing is read or run", async () => {
    const s = setup();
    s.api.pulls.set(4, open);
    s.flows.comment(s.api, comment("/deploy to production", "mallory"));
    await s.tasks.whenIdle();
    expect(s.api.calls).toEqual(["canDeploy mallory", "createComment 4"]);
    expect(s.api.comments_[0]!.body).toBe(
      "@mallory sorry, only people with write access to octo/shop can run `/deploy` here. Nothing was deployed; ask a maintainer to run it.",
    );
    expect(s.prepared).toEqual([]);
  });

  it("ordinary comments, issues and bots are ignored without an API call", async () => {
    const s = setup();
    expect(s.flows.comment(s.api, comment("LGTM"))).toMatch(/^ignored/);
    expect(s.flows.comment(s.api, { ...comment("/deploy"), isPull: false })).toMatch(/^ignored/);
    expect(s.flows.comment(s.api, { ...comment("/deploy"), bot: true })).toMatch(/^ignored/);
    await s.tasks.whenIdle();
    expect(s.api.calls).toEqual([]);
  });

  it("an unreadable command from a writer: 👀 and the usage, nothing runs", async () => {
    const s = setup();
    s.flows.comment(s.api, comment("/deploy web api"));
    await s.tasks.whenIdle();
    expect(s.api.reactions).toEqual([[55, "eyes"]]);
    expect(s.api.comments_[0]!.body).toMatch(/^@alice unexpected "api"; try `\/deploy/);
    expect(s.prepared).toEqual([]);
  });

  it("/deploy: the PR head to its preview (pr-N); `to STAGE` to that stage itself", async () => {
    const s = setup();
    s.api.pulls.set(4, open);
    s.flows.comment(s.api, comment("/deploy web"));
    s.flows.comment(s.api, comment("/deploy to production"));
    await s.tasks.whenIdle();
    const byStage = Object.fromEntries(s.submitted.map((t) => [t.stage ?? "(preview)", t]));
    expect(byStage["(preview)"]).toMatchObject({
      sha: SHA,
      workload: "web",
      preview: true,
      tag: "pr-4",
      trigger: "comment",
    });
    expect(byStage["(preview)"]!.hooks).toHaveLength(1);
    expect(byStage.production).toMatchObject({ sha: SHA, kind: "deploy" });
    expect(byStage.production!.tag).toBeUndefined();
    expect(s.api.comments_.filter((c) => c.body.startsWith("@alice `/deploy`"))).toHaveLength(2);
  });

  it("a fork's PR or a closed one: a reply saying why, nothing runs", async () => {
    const s = setup();
    s.api.pulls.set(4, { ...open, headRepo: "evil/shop" });
    s.flows.comment(s.api, comment("/deploy"));
    await s.tasks.whenIdle();
    expect(s.api.comments_.at(-1)!.body).toContain("comes from a fork");
    s.api.pulls.set(4, { ...open, open: false });
    s.flows.comment(s.api, comment("/deploy"));
    await s.tasks.whenIdle();
    expect(s.api.comments_.at(-1)!.body).toContain("is closed");
    expect(s.prepared).toEqual([]);
  });
});
