// From a trigger (a push, a PR, a comment, a chat command) to deploys on the engine: read the
// repo's tinyforge.yml at the SHA through the forge, fetch the tree when a workload builds from
// it, and queue one job per workload+stage. Every entry point of the bot goes through here, so
// a GitHub push, a Gitea push and a Slack /deploy behave the same.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ulid } from "ulid";
import { type Credentials, type ForgeCredentials, noCredentials } from "../src/app/credentials.js";
import { credentialsFromEnv, lockTtlFromEnv } from "../src/app/env.js";
import { execute } from "../src/app/execute.js";
import { environmentGrants, type Grants } from "../src/app/grants.js";
import { openSession, reportersOf, type Session } from "../src/app/session.js";
import { findStage, resolveWorkloads, stageHosts } from "../src/app/stages.js";
import { own } from "../src/config/lookup.js";
import type { Config } from "../src/config/schema.js";
import { announce, notRun } from "../src/deploy/announce.js";
import type { DeployHooks } from "../src/deploy/hooks.js";
import type { DeployInfo, DeployResult } from "../src/deploy/types.js";
import { isTinyforgeError, TinyforgeError } from "../src/errors.js";
import { resolveStrategy } from "../src/plan/strategy.js";
import type { ChatThread, DeployEvent, StepRecord } from "../src/state/model.js";
import type { HostPool } from "../src/adapters/ssh-pool.js";
import { admit, configText } from "../src/app/boundary/index.js";
import { type BotConfig, type BotProject, projectNamed } from "./config.js";
import type { DeployMark, Inbox } from "./inbox.js";
import type { BotMetrics } from "./metrics.js";
import { PendingFirst } from "./pending-first.js";
import type { KeyedQueue } from "./queue.js";
import { ValidatedConfigs } from "./validated-configs.js";
import type { CheckoutLimits } from "./sources/tarball.js";

/**
 * The session's grants before admit() has decided a deploy's secrets: the operator's hosts and
 * proxy are already in the config (configText), statuses go only where the trigger came from
 * (a forge.api in a pushed tinyforge.yml would otherwise receive the bot's forge token), no
 * secret is granted, and the repo's webhook reaches public addresses only (admit() lifts that for
 * an origin the operator lists).
 */
export function botGrants(
  secrets: Record<string, string> = {},
  networks: readonly string[] = [],
  publicWebhook = true,
): Grants {
  return {
    ignoreRepoForge: true,
    publicWebhook,
    problems: () => [],
    secrets: environmentGrants(secrets).secrets,
    // An existing network is joined when it is the project's (its labels) or the operator lists it;
    // a workload naming none runs on its stage's own, never on the bridge every project shares.
    networks: { allowed: networks, unlabelled: false, isolate: true },
  };
}

/** The bot's SSH and proxy keys (its env); the forge only ever the trigger's. */
export function botCredentials(
  env: Record<string, string | undefined>,
  forge: ForgeCredentials | undefined,
): Credentials {
  return { ...credentialsFromEnv(env), forge: forge ?? noCredentials.forge };
}

/** Read access to a repo on its forge (GitHub App installation, Gitea token). */
export interface RepoSource {
  resolveRef(repo: string, ref: string): Promise<string>;
  /** A file's text at a commit, or undefined when the file does not exist. */
  readFile(repo: string, path: string, sha: string): Promise<string | undefined>;
  /**
   * Writes the repo's tree at `sha` into `dir` (for dockerfile, static and compose sources), within
   * the project's limits; a tree past them, or one that would write outside `dir`, is refused with
   * a CheckoutRefused.
   */
  fetchTree(repo: string, sha: string, dir: string, limits?: CheckoutLimits): Promise<void>;
  /**
   * The forge credentials for a deploy's reporters (kind, token, repository, API URL), for
   * triggers that did not come from the forge (a Slack command): their statuses go to the repo too.
   */
  forgeCredentials?(repo: string): Promise<ForgeCredentials>;
}

export interface Trigger {
  project: string;
  sha: string;
  ref?: string;
  /**
   * Without a stage: the one with pull_requests: true when `preview` is set (a pull request), else
   * the one whose branch is `ref` (a push); none matching → nothing to do.
   */
  stage?: string;
  preview?: boolean;
  /** A PR's number: a stage with pull_requests: true deploys its own instance, tagged pr-N. */
  pr?: number;
  workload?: string;
  tag?: string;
  kind: "deploy" | "rollback" | "teardown";
  trigger: string;
  /** A push: replaces older triggers still waiting for the same workload+stage. */
  supersedes?: boolean;
  /** Where this deploy's reporters report: the forge the trigger came from, with its token. */
  forge?: ForgeCredentials;
  /** Extra observers: the PR comment, the Slack message of a chat command. */
  hooks?: DeployHooks[];
  onStep?: (workload: string, step: StepRecord) => void;
  /** The chat message that reports it (a Slack command's), kept in the deploy's record. */
  thread?: ChatThread;
  /** Deploy or roll back into a frozen stage (`/deploy … force`, allowed users only): recorded. */
  force?: boolean;
  /**
   * A deploy that ends a bake in progress of its workload+stage (`/deploy … cancel-bake`, as the
   * CLI's --cancel-bake): the bot's own baking deploy ahead of it in the queue is told while it
   * waits (bot/queue.ts), another process's is asked at the host's lock (the operation's cancelBake).
   */
  cancelBake?: boolean;
  /** Who asked, as a freeze override records it: "slack:U024BE7LH", "github:octocat". */
  actor?: string;
  /** When its webhook arrived (performance.now()): the metrics' webhook-to-pending latency. */
  receivedAt?: number;
  /** Its entry in the bot's inbox (bot/inbox.ts), and, resumed after a restart, what ran before. */
  journal?: Journal;
  /** The checks it waited for (stages.S.wait_for_checks): the GitHub deployment lists them. */
  requiredContexts?: readonly string[];
  /** tinyforge.yml at the SHA, already asked for (readConfig): prepare() reads it once, not again. */
  configText?: Promise<string | undefined>;
  /** From setOut(): called once its pending statuses are begun, so deploys held for them go on. */
  arrived?: () => void;
}

export interface Journal {
  inbox: Inbox;
  id: string;
  /** By workload: the deploy announced (and maybe started) before the bot restarted. */
  before?: Record<string, DeployMark>;
}

export type Outcome =
  | DeployResult
  | {
      workload: string;
      stage: string;
      tag: string | null;
      outcome: "removed" | "superseded";
      lines: string[];
    };

/**
 * Asked once the stage is known, before the tree is fetched: false holds the trigger (a preview
 * without its label, a commit whose checks are not green) and prepare() answers undefined.
 */
export type Gate = (stage: string, config: Config) => Promise<boolean>;

export interface Prepared {
  session: Session;
  stage: string;
  /** The instance's tag: the trigger's, or pr-N for a PR on a pull_requests stage. */
  tag?: string;
  workloads: string[];
  /** Keys of the repo's config the bot ignored (hosts, proxy…: the operator sets them). */
  ignored: string[];
  cleanup(): void;
}

export class BotRunner {
  private readonly pendingFirst: PendingFirst;
  private readonly validated = new ValidatedConfigs();

  constructor(
    private readonly deps: {
      config: BotConfig;
      /** What a deploy may read of the bot's environment: SSH and proxy credentials, chat tokens. */
      env: Record<string, string | undefined>;
      /** The bot's whole environment: where granted secrets are read from, by the grant only. */
      botEnv?: Record<string, string | undefined>;
      source: (project: string) => RepoSource;
      queue: KeyedQueue;
      /** Keeps each host's SSH connection open across deploys; without it, one per deploy. */
      pool?: HostPool;
      /** Every event of every deploy the bot runs, as it happens (the events API's live stream). */
      onEvent?: (project: string, e: DeployEvent) => void;
      metrics?: BotMetrics;
      /** Holds queued jobs' work behind the pendings on their way (default: one of its own). */
      pendingFirst?: PendingFirst;
    },
  ) {
    this.pendingFirst = deps.pendingFirst ?? new PendingFirst();
  }

  /**
   * A trigger was accepted and is on its way to its pending status: queued jobs' SSH and Docker
   * work waits for it (bot/pending-first.ts). Call the function returned (or pass it as the
   * Trigger's `arrived`) once it will send no pending, whatever the reason.
   */
  setOut(): () => void {
    return this.pendingFirst.setOut();
  }

  /**
   * Starts reading the project's tinyforge.yml at `sha`, for a Trigger's configText: a push asks
   * for it alongside the branch's head instead of after it. Undefined for an unknown project
   * (prepare() says so). A read nobody takes up fails quietly.
   */
  readConfig(project: string, sha: string): Promise<string | undefined> | undefined {
    const p = projectNamed(this.deps.config, project);
    if (!p) return undefined;
    const text = this.deps.source(project).readFile(p.repo, p.config_path, sha);
    text.catch(() => undefined);
    return text;
  }

  /**
   * Reads and validates the repo's config at the SHA. A config error is thrown as config_invalid
   * (with every key path in its details) for the caller to put on the commit and the PR.
   * Returns undefined when no stage matches the ref (a push to a branch nobody deploys).
   */
  async prepare(t: Trigger, gate?: Gate): Promise<Prepared | undefined> {
    const project = projectNamed(this.deps.config, t.project);
    if (!project)
      throw new TinyforgeError(
        "usage",
        `unknown project "${t.project}" (have: ${Object.keys(this.deps.config.projects).join(", ") || "none"})`,
      );
    const source = this.deps.source(t.project);
    const text = await (t.configText ?? source.readFile(project.repo, project.config_path, t.sha));
    // not_found, not config_invalid: a push to a branch without a tinyforge.yml is not an error
    // to put on its commit, while a broken one is.
    if (text === undefined)
      throw new TinyforgeError(
        "not_found",
        `${project.config_path} not found in ${project.repo} at ${t.sha.slice(0, 12)}`,
      );
    // The checkout's directory, made only for a deploy that builds from the tree: an image's
    // deploy writes nothing on its way to the pending status (its config is validated in memory).
    const dir = join(tmpdir(), `tinyforge-bot-${ulid()}`);
    let made = false;
    const cleanup = () => {
      if (made) rmSync(dir, { recursive: true, force: true });
    };
    try {
      const file = join(dir, project.config_path);
      // The same text under the same settings as a push before: validated then (validated-configs.ts).
      const key = ValidatedConfigs.key(text, t.project, project);
      const known = this.validated.get(key);
      // Hosts, proxy, state_dir… are the operator's: the repo's are replaced before validation.
      const operators = known ?? configText(text, project, t.project);
      const forge = t.forge ?? (await source.forgeCredentials?.(project.repo).catch(() => undefined));
      let session = await openSession(
        file,
        {
          // SSH and proxy keys are the bot's (its env); the forge is the trigger's, never the repo's.
          credentials: this.credentials(forge),
          grants: botGrants(),
          lockTtlMs: lockTtlFromEnv(this.deps.env),
        },
        project.config_path,
        // Parsed once (configText), validated as the file would be; text that does not parse is
        // handed over as it is, for the loader's line and column.
        known ? { config: known.config } : "data" in operators ? { data: operators.data } : operators.text,
      );
      if (!known)
        this.validated.set(key, {
          config: session.config,
          ignored: operators.ignored,
          get text() {
            return operators.text;
          },
        });
      const pool = this.deps.pool;
      if (pool) session = { ...session, openHost: (entry, secrets) => pool.acquire(entry, secrets) };
      const stage = findStage(session.config, {
        stage: t.stage,
        ...(t.preview ? { preview: true } : { branch: t.ref }),
      });
      if (!stage || (gate && !(await gate(stage, session.config)))) {
        cleanup();
        return undefined;
      }
      const workloads = resolveWorkloads(session.config, t.workload);
      const tag =
        t.tag ??
        (t.pr !== undefined && own(session.config.stages, stage)?.pull_requests ? `pr-${t.pr}` : undefined);
      const needsTree =
        t.kind === "deploy" && workloads.some((w) => own(session.config.workloads, w)?.source !== "image");
      // The tree's root is the repo's root; the config may sit below it (config_path: deploy/tinyforge.yml).
      if (needsTree) {
        mkdirSync(dir, { mode: 0o700 });
        made = true;
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, operators.text);
        await source.fetchTree(project.repo, t.sha, dir, limitsOf(project));
      }
      const admitted = admit(
        session.config,
        { stage, tag, workloads, configDir: session.dir, checkoutRoot: needsTree ? dir : undefined },
        project,
        this.deps.botEnv ?? {},
        { project: t.project, file: project.config_path },
      );
      // The deploy runs with the config as admitted and only the secrets granted for this stage.
      session = {
        ...session,
        config: admitted.config,
        grants: botGrants(admitted.secrets, project.networks, admitted.publicWebhook),
        ...(needsTree ? { checkoutRoot: dir } : {}),
      };
      return { session, stage, tag, workloads, ignored: operators.ignored, cleanup };
    } catch (e) {
      cleanup();
      throw e;
    }
  }

  /** Queues the trigger's jobs; resolves with each workload's outcome once they ran. */
  async submit(t: Trigger, prepared: Prepared): Promise<Outcome[]> {
    const { session, stage, workloads } = prepared;
    const tag = prepared.tag;
    const jobs = workloads.map(
      (workload) =>
        new Promise<Outcome>((resolve, reject) => {
          const before = t.kind === "deploy" ? t.journal?.before?.[workload] : undefined;
          // Started before a restart: its record on the host says how it ended; nothing is announced again.
          const early =
            t.kind === "deploy" && !before?.started
              ? this.announce({ ...t, tag }, session, workload, stage, before?.deployId)
              : undefined;
          this.deps.queue.enqueue({
            key: jobKey(t.project, workload, stage),
            supersedes: t.supersedes,
            ...(t.kind === "deploy" && t.cancelBake && early ? { cancelsBake: early.deployId } : {}),
            superseded: () => {
              const superseded = { workload, stage, tag: tag ?? null, outcome: "superseded" as const };
              void (early?.conclude() ?? Promise.resolve()).then(() => resolve({ ...superseded, lines: [] }));
            },
            run: () =>
              // The pendings on their way (this one's and other pushes') go first: the deploy's
              // SSH traffic and CPU would otherwise hold them up.
              this.pendingFirst
                .clear()
                .then(() =>
                  before?.started
                    ? this.settleOne({ ...t, tag }, session, workload, stage, before.deployId)
                    : this.runOne({ ...t, tag }, session, workload, stage, early),
                )
                .then(resolve, reject),
          });
        }),
    );
    // Every workload's pending is begun (announce): this trigger no longer holds deploys back.
    t.arrived?.();
    return Promise.all(jobs).finally(() => prepared.cleanup());
  }

  private credentials(forge: ForgeCredentials | undefined): Credentials {
    return botCredentials(this.deps.env, forge);
  }

  /**
   * A deploy's "pending" goes out now, the config at the SHA read and valid: before SSH, the
   * queue and the lock. Its observers are the ones the engine then reports to.
   */
  private announce(
    t: Trigger,
    s: Session,
    workload: string,
    stage: string,
    deployId: string = ulid(),
  ): Announced {
    const info = this.info(t, s, workload, stage, deployId);
    const hooks = announce([...reportersOf(s, workload, stage), ...(t.hooks ?? [])], info);
    // Each observer's calls are bounded by its adapter's timeout; the task waits for them, so
    // the bot is idle only once every commit, deployment and message says how it ended.
    const conclude = async (error?: { code: string; message: string }) => {
      await Promise.allSettled(hooks.map((h) => h.finished?.(info, notRun(info, error))));
    };
    t.journal?.inbox.announced(t.journal.id, workload, deployId);
    const { metrics } = this.deps;
    const receivedAt = t.receivedAt;
    if (metrics && receivedAt !== undefined)
      void Promise.allSettled(hooks.map((h) => h.started?.(info))).then(() =>
        metrics.pendingSent(receivedAt),
      );
    return { deployId, hooks, conclude };
  }

  private info(t: Trigger, s: Session, workload: string, stage: string, deployId: string): DeployInfo {
    return {
      deployId,
      project: s.config.project,
      workload,
      stage,
      tag: t.tag ?? null,
      sha: t.sha,
      ref: t.ref ?? null,
      strategy: resolveStrategy(own(s.config.workloads, workload)!),
      host: stageHosts(s.config, stage).join(", "),
      ...(t.requiredContexts?.length ? { requiredContexts: t.requiredContexts } : {}),
    };
  }

  /**
   * A deploy that was running when the bot stopped: what its record on the host says (a dead
   * holder's is settled under the lock), told to its observers as its outcome. No record: it never
   * reached the host, so it runs now.
   */
  private async settleOne(
    t: Trigger,
    s: Session,
    workload: string,
    stage: string,
    deployId: string,
  ): Promise<Outcome> {
    const settled = await execute(s, { kind: "settle", deployId });
    if (!settled) return this.runOne(t, s, workload, stage, this.announce(t, s, workload, stage, deployId));
    const info = this.info(t, s, workload, stage, deployId);
    const hooks = [...reportersOf(s, workload, stage), ...(t.hooks ?? [])];
    await Promise.all(hooks.map((h) => h.finished?.(info, settled).catch(() => undefined)));
    this.deps.metrics?.deployed(t.project, settled);
    return settled;
  }

  private async runOne(
    t: Trigger,
    s: Session,
    workload: string,
    stage: string,
    early?: Announced,
  ): Promise<Outcome> {
    const onEvent = this.deps.onEvent;
    // No deploy started: no engine told the announced observers how it ended, so say it here.
    let engineReached = false;
    const observers = {
      hooks: t.hooks,
      ...(early ? { announced: early } : {}),
      onStart: () => {
        engineReached = true;
        if (early) t.journal?.inbox.started(t.journal.id, workload, early.deployId);
      },
      ...(onEvent ? { onEvent: (e: DeployEvent) => onEvent(t.project, e) } : {}),
      ...(t.onStep ? { onStep: (step: StepRecord) => t.onStep?.(workload, step) } : {}),
      // A `cancel-bake` deploy queued behind this one ends its bake (bot/queue.ts).
      bakeCancelledBy: () => this.deps.queue.bakeCancelledBy(jobKey(t.project, workload, stage)),
    };
    const named = {
      stage: { stage },
      workload,
      tag: t.tag,
      ...(t.force ? { force: true } : {}),
      ...(t.actor ? { actor: t.actor } : {}),
    };
    if (t.kind === "teardown") {
      const removed = await execute(s, { kind: "teardown", stage: named.stage, workload, tag: t.tag });
      const lines = removed.at(-1)?.lines ?? [];
      return { workload, stage, tag: t.tag ?? null, outcome: "removed", lines };
    }
    try {
      const results =
        t.kind === "rollback"
          ? await execute(s, { kind: "rollback", ...named }, observers)
          : await execute(
              s,
              {
                kind: "deploy",
                ...named,
                sha: t.sha,
                ref: t.ref,
                trigger: t.trigger,
                ...(t.thread ? { thread: t.thread } : {}),
                ...(t.cancelBake ? { cancelBake: true } : {}),
              },
              observers,
            );
      for (const r of results) this.deps.metrics?.deployed(t.project, r);
      return results.at(-1)!;
    } catch (e) {
      if (!engineReached)
        await early?.conclude(
          isTinyforgeError(e)
            ? { code: e.code, message: e.publicMessage ?? e.message }
            : { code: "deploy_failed", message: "could not start" },
        );
      throw e;
    }
  }
}

/** What must not interleave in the bot's queue: one workload+stage of a project (as the host's lock). */
function jobKey(project: string, workload: string, stage: string): string {
  return `${project}/${workload}/${stage}`;
}

function limitsOf(p: BotProject): CheckoutLimits {
  return { bytes: p.limits.checkout_bytes, entries: p.limits.checkout_entries };
}

interface Announced {
  deployId: string;
  /** The deploy's observers, "pending" already sent. */
  hooks: DeployHooks[];
  /**
   * It never reached the engine: without an error a newer push superseded it ("pending" ends
   * saying so, not as a failure); with one (host unreachable…) "pending" becomes that failure.
   */
  conclude(error?: { code: string; message: string }): Promise<void>;
}
