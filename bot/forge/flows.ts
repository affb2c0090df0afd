// What a push, a pull request and a PR comment mean, for any forge: the adapters (bot/github,
// bot/gitea) turn their payloads into these events and hand over a RepoApi. Each handler decides
// synchronously (so the webhook answers at once) and does the work as a background task.
import { errorMessage, isTinyforgeError } from "../../src/errors.js";
import { ignoredNote } from "../../src/app/boundary/index.js";
import { type BotConfig, type BotProject, projectNamed, projectOfRepo } from "../config.js";
import type { Accepted, Inbox, Origin } from "../inbox.js";
import type { BotRunner, Journal, Outcome, Prepared, Trigger } from "../runner.js";
import {
  type ChecksVerdict,
  checksVerdict,
  ownContexts,
  previewWanted,
  verdictNote,
} from "../../src/app/previews.js";
import { resolveWorkloads } from "../../src/app/stages.js";
import { own } from "../../src/config/lookup.js";
import { capRunes } from "../../src/events/redact.js";
import type { CommitStatus } from "../../src/ports/forge.js";
import { DEFAULT_CONTEXT } from "../../src/report/commit-status.js";
import type { Gate } from "../runner.js";
import { type Waiting, Waits } from "./waits.js";
import { type PrCommand, parseCommand, USAGE } from "./command.js";
import { execute } from "../../src/app/execute.js";
import { freezeText } from "../../src/deploy/freeze.js";
import { renderPlan } from "../../src/report/plan-text.js";
import { configProblems, ignoredStatus, invalidConfigStatus, refusedStatus } from "./problems.js";
import type { PreviewComment, PreviewComments } from "./preview.js";
import type { Tasks } from "./tasks.js";
import { cell, replyLines } from "./text.js";
import type { Logger, RepoApi } from "./types.js";

export interface PushEvent {
  /** refs/heads/BRANCH (tags and deletions deploy nothing). */
  ref: string;
  after: string;
  deleted: boolean;
}

export interface PullEvent {
  action: "opened" | "synchronize" | "reopened" | "closed" | "labeled" | "unlabeled" | (string & {});
  number: number;
  headSha: string;
  headRef: string;
  headRepo: string | null;
  /** The labels the pull request carries (after a labeled/unlabeled change). */
  labels?: string[];
  /** labeled / unlabeled: the label added or removed. */
  label?: string;
}

/** A commit's checks changed (GitHub's status, check_run, check_suite events). */
export interface ChecksEvent {
  sha: string;
  /** A status event's context: the bot's own statuses change nothing it waits for. */
  context?: string;
}

export interface CommentEvent {
  issue: number;
  isPull: boolean;
  commentId: number;
  body: string;
  user: string;
  /** Bots' comments (ours included) never run commands. */
  bot: boolean;
}

export interface FlowDeps {
  config: BotConfig;
  runner: BotRunner;
  tasks: Tasks;
  previews: PreviewComments;
  log: Logger;
  /** Keeps each accepted trigger on disk until it is reported (bot/inbox.ts). */
  inbox?: Inbox;
  /** Deploys held until their checks are green (default: a registry of its own). */
  waits?: Waits;
  /** Told of each event's project: the preview sweep runs on each event too (bot/forge/sweep.ts). */
  onEvent?(project: string): void;
}

/** An Origin without where it came from (the RepoApi says that). */
type Event<O = Origin> = O extends Origin ? Omit<O, "forge" | "repo"> : never;

const ZERO_SHA = /^0+$/;

const DEPLOYING = ["opened", "synchronize", "reopened", "labeled"];

export class ForgeFlows {
  readonly waits: Waits;

  constructor(private readonly d: FlowDeps) {
    this.waits = d.waits ?? new Waits();
  }

  /**
   * Resolves once every trigger accepted so far is on the bot's disk (bot/inbox.ts): a webhook is
   * answered only then. Rejects when it could not be made durable (the forge then redelivers).
   */
  durable(): Promise<void> {
    return this.d.inbox?.flushed() ?? Promise.resolve();
  }

  private project(api: RepoApi): [string, BotProject] | undefined {
    return projectOfRepo(this.d.config, api.forge, api.repo);
  }

  /** A push to a branch deploys the stage whose branch it is; a newer push supersedes queued ones. */
  push(api: RepoApi, e: PushEvent, resumed?: Accepted): string {
    if (e.deleted || ZERO_SHA.test(e.after) || !e.ref.startsWith("refs/heads/"))
      return "ignored: not a branch update";
    const found = this.project(api);
    if (!found) return `ignored: no project for ${api.repo}`;
    const [project] = found;
    const branch = e.ref.slice("refs/heads/".length);
    this.d.onEvent?.(project);
    // A newer push to the branch replaces one still waiting for its checks.
    this.waits.drop(api.forge, api.repo, { push: e });
    const receivedAt = performance.now();
    const journal = this.accept(api, { event: "push", push: e }, resumed);
    // On its way to its pending status from now: deploys already queued let it go first.
    const arrived = this.d.runner.setOut();
    this.run(journal, `${api.repo} push to ${branch}`, arrived, async () => {
      // A late or replayed push must not roll the stage back: only the branch's head deploys.
      // (One announced before a restart passed this check then.)
      const announced = Object.keys(resumed?.deploys ?? {}).length > 0;
      // All three ask the forge: side by side, one round trip before the config is parsed, not
      // three. The config of a push that is not the head is read for nothing, and dropped.
      const configText = this.d.runner.readConfig(project, e.after);
      const [head, forge] = await Promise.all([
        announced || this.isHead(api, branch, e.after),
        api.forgeCredentials(),
      ]);
      if (!head) return;
      const t: Trigger = {
        project,
        sha: e.after,
        ref: branch,
        kind: "deploy",
        trigger: "push",
        supersedes: true,
        forge,
        journal,
        arrived,
        ...(resumed ? {} : { receivedAt }),
        ...(configText ? { configText } : {}),
      };
      const p = await this.prepare(api, t, this.checksGate(api, t, { push: e }));
      if (p.kind !== "ready") return;
      this.logOutcomes(api, await this.d.runner.submit(t, p.prepared));
    });
    return "queued";
  }

  /**
   * opened/synchronize/reopened: preview deploy tagged pr-N; closed: its teardown. With the
   * stage's preview_label: only a PR carrying it, deployed when it is added (labeled) and torn
   * down when it is removed (unlabeled). With wait_for_checks: held until the head's checks pass.
   */
  pullRequest(api: RepoApi, e: PullEvent, resumed?: Accepted): string {
    const closing = e.action === "closed";
    const unlabeled = e.action === "unlabeled";
    if (!closing && !unlabeled && !DEPLOYING.includes(e.action)) return `ignored: ${e.action}`;
    const teardown = closing || unlabeled;
    const found = this.project(api);
    if (!found) return `ignored: no project for ${api.repo}`;
    const [project, p] = found;
    if (!this.sameRepoOrAllowed(api, e.headRepo, p))
      return "ignored: pull request from a fork (forks: false)";
    this.d.onEvent?.(project);
    // A new head, a closed PR, a removed label: what waited for the old head's checks is moot.
    if (e.action !== "labeled") this.waits.drop(api.forge, api.repo, { pull: e });
    const tag = `pr-${e.number}`;
    const preview = this.d.previews.get(api, e.number, project);
    const receivedAt = performance.now();
    const journal = this.accept(api, { event: "pull_request", pull: e }, resumed);
    const arrived = this.d.runner.setOut();
    this.run(journal, `${api.repo}#${e.number} ${e.action}`, arrived, async () => {
      const t: Trigger = {
        project,
        sha: e.headSha,
        ref: e.headRef,
        preview: true,
        tag,
        kind: teardown ? "teardown" : "deploy",
        trigger: "pull_request",
        forge: await api.forgeCredentials(),
        hooks: teardown ? [] : [preview],
        journal,
        arrived,
        ...(resumed ? {} : { receivedAt }),
      };
      const labelGate: Gate = async (stage, config) => {
        const want = own(config.stages, stage)?.preview_label;
        // labeled / unlabeled act only on the stage's own label; other label changes do nothing.
        if (e.action === "labeled" || unlabeled)
          return want !== undefined && e.label?.toLowerCase() === want.toLowerCase();
        return closing || previewWanted(own(config.stages, stage)!, e.labels ?? []);
      };
      const checks = this.checksGate(api, t, { pull: e }, preview);
      const gate: Gate = async (stage, config) =>
        (await labelGate(stage, config)) && (teardown || (await checks(stage, config)));
      const r = await this.prepare(api, t, gate);
      if (r.kind === "invalid") return preview.invalid(e.headSha, r.lines);
      if (r.kind !== "ready") return;
      const { stage, workloads } = r.prepared;
      if (!teardown) await preview.queued(stage, workloads, e.headSha);
      let outcomes: Outcome[];
      try {
        outcomes = await this.d.runner.submit(t, r.prepared);
      } catch (err) {
        await preview.failed(stage, workloads, e.headSha, publicMessage(err));
        throw err;
      }
      this.logOutcomes(api, outcomes);
      if (closing) {
        await preview.closed(outcomes, e.headSha);
        this.d.previews.forget(api, e.number, project);
      } else if (unlabeled) {
        await preview.ended(
          outcomes,
          e.headSha,
          `The \`${cell(e.label ?? "")}\` label was removed: the preview is torn down. Add the label again to bring it back.`,
        );
      } else {
        await preview.outcomes(outcomes, e.headSha);
      }
    });
    return teardown ? "teardown queued" : "preview queued";
  }

  /**
   * A commit's checks changed: whatever waits for that commit runs its flow again (deploys when
   * green, notes a failure, or goes on waiting).
   */
  checks(api: RepoApi, e: ChecksEvent): string {
    const found = this.project(api);
    if (!found) return `ignored: no project for ${api.repo}`;
    this.d.onEvent?.(found[0]);
    if (e.context === DEFAULT_CONTEXT || e.context?.startsWith(`${DEFAULT_CONTEXT}/`))
      return "ignored: tinyforge's own status";
    const waiting = this.waits.at(api.forge, api.repo, e.sha);
    if (waiting.length === 0) return "ignored: nothing waits for this commit";
    for (const w of waiting) this.recheck(api, w);
    return `re-checking ${waiting.length} held deploy(s)`;
  }

  /** Runs a held trigger's flow again (a checks event, the bot's timer). */
  recheck(api: RepoApi, w: Waiting): string {
    return w.pull ? this.pullRequest(api, w.pull) : this.push(api, w.push);
  }

  /**
   * The stage's wait_for_checks, as a gate: green lets the deploy go and names the checks it
   * waited for (the GitHub deployment's required_contexts); otherwise the trigger is held, and the
   * PR comment and the commit say why once per change.
   */
  private checksGate(api: RepoApi, t: Trigger, what: Waiting, preview?: PreviewComment): Gate {
    return async (stage, config) => {
      const st = own(config.stages, stage)!;
      const want = st.wait_for_checks;
      if (want === undefined || want === false) return true;
      let verdict: ChecksVerdict;
      try {
        verdict = checksVerdict(want, await api.checks(t.sha), ownContexts(config));
      } catch (err) {
        // Cannot read them: held (the timer asks again), never deployed unchecked.
        verdict = { kind: "waiting", contexts: [], pending: [] };
        this.d.log.warn(`${api.repo}@${t.sha.slice(0, 7)}: cannot read checks: ${errorMessage(err)}`);
      }
      if (verdict.kind === "green") {
        this.waits.drop(api.forge, api.repo, what);
        t.requiredContexts = verdict.contexts;
        return true;
      }
      const note = verdictNote(verdict);
      this.d.log.info(`${api.repo}@${t.sha.slice(0, 7)}: ${stage}: ${note}`);
      if (!this.waits.hold(api.forge, api.repo, t.sha, what, note)) return false;
      const workloads = resolveWorkloads(config, t.workload);
      await preview?.checks(stage, workloads, t.sha, verdict.kind === "failed", note);
      const status: CommitStatus = {
        sha: t.sha,
        state: verdict.kind === "failed" ? "failure" : "pending",
        context: st.status_context ?? DEFAULT_CONTEXT,
        description: capRunes(note[0]!.toUpperCase() + note.slice(1), api.descriptionLimit),
      };
      await api
        .setStatus(status)
        .catch((err) => this.d.log.warn(`${api.repo}: status: ${errorMessage(err)}`));
      return false;
    };
  }

  /** `/deploy` and `/rollback` on a pull request, from someone with write access. */
  comment(api: RepoApi, e: CommentEvent, resumed?: Accepted): string {
    if (!e.isPull || e.bot) return "ignored: not a person's comment on a pull request";
    const cmd = parseCommand(e.body);
    if (!cmd) return "ignored: not a command";
    const found = this.project(api);
    if (!found) return `ignored: no project for ${api.repo}`;
    const [project, p] = found;
    const reply = (text: string) => api.createComment(e.issue, `@${e.user} ${text}`).then(() => undefined);
    const receivedAt = performance.now();
    const journal = this.accept(api, { event: "comment", comment: e }, resumed);
    this.run(journal, `${api.repo}#${e.issue} comment ${e.commentId}`, undefined, async () => {
      if (!(await api.canDeploy(e.user).catch(() => false))) {
        const verb = e.body.trim().slice(1).split(/\s/, 1)[0]?.toLowerCase();
        return reply(
          `sorry, only people with write access to ${api.repo} can run \`/${verb}\` here. Nothing was deployed; ask a maintainer to run it.`,
        );
      }
      if (!resumed)
        await api
          .react(e.commentId, "eyes")
          .catch((err) => this.d.log.warn(`reaction: ${errorMessage(err)}`));
      if ("error" in cmd) return reply(cmd.error);
      const pr = await api.pull(e.issue);
      if (!pr.open) return reply("this pull request is closed: nothing to deploy.");
      if (!this.sameRepoOrAllowed(api, pr.headRepo, p))
        return reply(
          "this pull request comes from a fork, and this project does not deploy forks (`forks: true` in the bot's config allows it).",
        );
      if (cmd.kind === "freeze" || cmd.kind === "unfreeze")
        return this.freeze(api, e, cmd, project, pr.headSha, reply);
      const t: Trigger = {
        project,
        sha: pr.headSha,
        ref: pr.headRef,
        ...(cmd.stage ? { stage: cmd.stage } : { preview: true }),
        pr: e.issue,
        ...(cmd.workload ? { workload: cmd.workload } : {}),
        // A plan fetches no tree and runs nothing: read like a rollback.
        kind: cmd.kind === "plan" ? "rollback" : cmd.kind,
        trigger: "comment",
        forge: await api.forgeCredentials(),
        journal,
        actor: `${api.forge}:${e.user}`,
        ...("force" in cmd && cmd.force ? { force: true } : {}),
        // Anyone who may /deploy here may end a bake with it (bot/chat/authorize.ts says why).
        ...(cmd.kind === "deploy" && cmd.cancelBake ? { cancelBake: true } : {}),
        ...(resumed ? {} : { receivedAt }),
      };
      const r = await this.prepare(api, t);
      if (r.kind === "invalid")
        return reply(
          `${p.config_path} is invalid at \`${pr.headSha.slice(0, 7)}\`:\n\n${r.lines.map((l) => `- ${l}`).join("\n")}`,
        );
      if (r.kind === "missing" || r.kind === "error") return reply(`nothing was deployed: ${r.message}`);
      if (r.kind === "none")
        return reply(`no stage has \`pull_requests: true\` in ${p.config_path}; name one: ${USAGE}.`);
      if (cmd.kind === "plan") return this.plan(r.prepared, t, reply);
      const { stage, workloads, tag } = r.prepared;
      // The PR's own preview instance (tagged pr-N) when the stage takes pull requests.
      const preview = tag ? this.d.previews.get(api, e.issue, project) : undefined;
      const run: Trigger = preview ? { ...t, tag, hooks: [preview] } : t;
      const verb = cmd.kind;
      if (preview && verb === "deploy") await preview.queued(stage, workloads, pr.headSha);
      let outcomes: Outcome[];
      try {
        outcomes = await this.d.runner.submit(run, r.prepared);
      } catch (err) {
        await preview?.failed(stage, workloads, pr.headSha, publicMessage(err));
        return reply(`❌ ${verb} failed: ${cell(publicMessage(err))}`);
      }
      this.logOutcomes(api, outcomes);
      await preview?.outcomes(outcomes, pr.headSha);
      const cancelling = t.cancelBake ? " with `cancel-bake` (ends the bake in progress)" : "";
      return reply(
        `\`/${verb}\` at \`${pr.headSha.slice(0, 7)}\`${cancelling}:\n\n${replyLines(verb, outcomes).join("\n")}`,
      );
    });
    return "command queued";
  }

  /** `/deploy freeze|unfreeze PROJECT STAGE`: the PR's project only, by someone with write access. */
  private async freeze(
    api: RepoApi,
    e: CommentEvent,
    cmd: Extract<PrCommand, { kind: "freeze" | "unfreeze" }>,
    project: string,
    sha: string,
    reply: (text: string) => Promise<void>,
  ): Promise<void> {
    if (cmd.project !== project)
      return reply(
        `this repository deploys project \`${project}\`, not \`${cell(cmd.project)}\`: nothing was ${cmd.kind === "freeze" ? "frozen" : "unfrozen"}.`,
      );
    const r = await this.prepare(api, {
      project,
      sha,
      stage: cmd.stage,
      kind: "rollback",
      trigger: "comment",
    });
    if (r.kind !== "ready")
      return reply(
        `nothing was ${cmd.kind === "freeze" ? "frozen" : "unfrozen"}: ${"message" in r ? r.message : "the config at this commit is not usable"}`,
      );
    const { session, stage } = r.prepared;
    try {
      if (cmd.kind === "freeze") {
        const done = await execute(session, {
          kind: "freeze",
          stage,
          reason: cmd.reason,
          by: `${api.forge}:${e.user}`,
        });
        const f = done[0]?.freeze;
        return reply(
          f
            ? `❄️ froze ${project} ${stage} on ${done.map((d) => d.host).join(", ")}: ${cell(freezeText(f))}. \`/deploy unfreeze ${project} ${stage}\` lifts it.`
            : `${project} ${stage} has no hosts to freeze`,
        );
      }
      const done = await execute(session, { kind: "unfreeze", stage });
      return reply(
        done.some((d) => d.freeze) ? `☀️ unfroze ${project} ${stage}.` : `${project} ${stage} was not frozen.`,
      );
    } catch (err) {
      return reply(`❌ ${cmd.kind} failed: ${cell(publicMessage(err))}`);
    } finally {
      r.prepared.cleanup();
    }
  }

  /** `/deploy plan`: what a deploy of the PR head would do, touching nothing. */
  private async plan(prepared: Prepared, t: Trigger, reply: (text: string) => Promise<void>): Promise<void> {
    try {
      const plans = await execute(prepared.session, {
        kind: "plan",
        stage: { stage: prepared.stage },
        ...(t.workload ? { workload: t.workload } : {}),
        sha: t.sha,
        ...(t.ref ? { ref: t.ref } : {}),
        ...(prepared.tag ? { tag: prepared.tag } : {}),
      });
      return reply(
        `\`/deploy plan\` at \`${t.sha.slice(0, 7)}\` (nothing was changed):\n\n\`\`\`\n${plans.map(renderPlan).join("\n").replace(/```/g, "ˋˋˋ")}\`\`\``,
      );
    } catch (err) {
      return reply(`❌ plan failed: ${cell(publicMessage(err))}`);
    } finally {
      prepared.cleanup();
    }
  }

  /** Resumes a trigger the bot accepted before it restarted, through the flow it came in by. */
  resume(api: RepoApi, a: Accepted): string {
    const o = a.origin;
    if (o.event === "push") return this.push(api, o.push, a);
    if (o.event === "pull_request") return this.pullRequest(api, o.pull, a);
    return this.comment(api, o.comment, a);
  }

  /** The trigger on disk (accepted now, or resumed) until its task ends. */
  private accept(api: RepoApi, event: Event, resumed: Accepted | undefined): Journal | undefined {
    const inbox = this.d.inbox;
    if (!inbox) return undefined;
    const id = resumed?.id ?? inbox.accept({ forge: api.forge, repo: api.repo, ...event } as Origin);
    return { inbox, id, ...(resumed ? { before: resumed.deploys } : {}) };
  }

  /**
   * The trigger's work, in the background; reported (or failed and logged) once it ends. Ended, it
   * has `arrived` wherever it stopped (no stage, an invalid config, not the head).
   */
  private run(
    journal: Journal | undefined,
    label: string,
    arrived: (() => void) | undefined,
    fn: () => Promise<void>,
  ): void {
    this.d.tasks.run(label, async () => {
      try {
        await fn();
      } finally {
        arrived?.();
        if (journal) journal.inbox.done(journal.id);
      }
    });
  }

  /** Is `sha` still the branch's head? A push that is not is skipped as superseded. */
  private async isHead(api: RepoApi, branch: string, sha: string): Promise<boolean> {
    let head: string | undefined;
    try {
      head = await api.branchHead(branch);
    } catch (err) {
      this.d.log.warn(
        `${api.repo}: cannot read the head of ${branch} (${errorMessage(err)}): push not deployed`,
      );
      return false;
    }
    if (head?.toLowerCase() === sha.toLowerCase()) return true;
    this.d.log.info(
      `${api.repo}@${sha.slice(0, 7)}: superseded, ${branch} is at ${head ? head.slice(0, 7) : "nothing"}: not deployed`,
    );
    return false;
  }

  /** Fork PRs get no host access (secrets, SSH) unless the project opted in. */
  private sameRepoOrAllowed(api: RepoApi, headRepo: string | null, p: BotProject): boolean {
    return p.forks || headRepo?.toLowerCase() === api.repo.toLowerCase();
  }

  /**
   * The runner's prepare, with its failures sorted: an invalid config is put on the commit as a
   * failed status naming the key path; a missing one (a branch without tinyforge.yml) is not.
   */
  private async prepare(
    api: RepoApi,
    t: Trigger,
    gate?: Gate,
  ): Promise<
    | { kind: "ready"; prepared: Prepared }
    | { kind: "none" }
    | { kind: "invalid"; lines: string[] }
    | { kind: "missing"; message: string }
    | { kind: "error"; message: string }
  > {
    try {
      let held = false;
      const gated: Gate | undefined = gate
        ? async (stage, config) => {
            held = !(await gate(stage, config));
            return !held;
          }
        : undefined;
      const prepared = await this.d.runner.prepare(t, gated);
      if (prepared) {
        // A status of its own (tinyforge/config): sent beside the deploy's pending, not before it.
        this.d.tasks.run(`${api.repo}@${t.sha.slice(0, 7)} ignored keys`, () =>
          this.noteIgnored(api, t.sha, prepared.ignored),
        );
        return { kind: "ready", prepared };
      }
      if (held) return { kind: "none" };
      this.d.log.info(
        `${api.repo}@${t.sha.slice(0, 7)}: no stage for ${t.preview ? "pull requests" : t.ref}`,
      );
      return { kind: "none" };
    } catch (e) {
      if (isTinyforgeError(e) && (e.code === "config_invalid" || e.code === "checkout_refused")) {
        const project = projectNamed(this.d.config, t.project)!;
        const lines = configProblems(e);
        const status =
          e.code === "config_invalid"
            ? invalidConfigStatus(t.sha, project.config_path, lines, api.descriptionLimit)
            : refusedStatus(t.sha, e.message, api.descriptionLimit);
        await api
          .setStatus(status)
          .catch((err) => this.d.log.warn(`${api.repo}: status: ${errorMessage(err)}`));
        this.d.log.warn(`${api.repo}@${t.sha.slice(0, 7)}: invalid config: ${lines.join("; ")}`);
        return { kind: "invalid", lines };
      }
      const message = publicMessage(e);
      this.d.log.info(`${api.repo}@${t.sha.slice(0, 7)}: ${message}`);
      if (isTinyforgeError(e) && e.code === "not_found") return { kind: "missing", message };
      if (isTinyforgeError(e) && e.code === "usage") return { kind: "error", message };
      throw e;
    }
  }

  /** Says once, on the commit, which operator-only keys of the repo's config were ignored. */
  private async noteIgnored(api: RepoApi, sha: string, ignored: string[]): Promise<void> {
    const note = ignoredNote(ignored);
    if (!note) return;
    this.d.log.info(`${api.repo}@${sha.slice(0, 7)}: ${note}`);
    await api
      .setStatus(ignoredStatus(sha, note, api.descriptionLimit))
      .catch((err) => this.d.log.warn(`${api.repo}: status: ${errorMessage(err)}`));
  }

  private logOutcomes(api: RepoApi, outcomes: Outcome[]): void {
    for (const o of outcomes)
      this.d.log.info(`${api.repo}: ${o.workload} → ${o.stage}${o.tag ? ` (${o.tag})` : ""}: ${o.outcome}`, {
        ...("deployId" in o ? { deployId: o.deployId } : {}),
        repo: api.repo,
        workload: o.workload,
        stage: o.stage,
        outcome: o.outcome,
      });
  }
}

function publicMessage(e: unknown): string {
  return isTinyforgeError(e) ? (e.publicMessage ?? e.message) : errorMessage(e);
}
