// From a trigger (a push, a PR, a comment, a chat command) to deploys on the engine: read the
// repo's tinyforge.yml at the SHA through the forge, fetch the tree when a workload builds from
// it, and queue one job per workload+stage. Every entry point of the bot goes through here, so
// a GitHub push, a Gitea push and a Slack /deploy behave the same.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { engineContext, forEachHost, openSession, type Session } from "../src/cli/session.js";
import { deploy, storeFor } from "../src/deploy/deploy.js";
import type { DeployHooks } from "../src/deploy/hooks.js";
import { withLock } from "../src/deploy/locked.js";
import { rollback } from "../src/deploy/rollback.js";
import { teardownInstance } from "../src/deploy/teardown.js";
import type { DeployResult } from "../src/deploy/types.js";
import { TinyforgeError } from "../src/errors.js";
import { instanceKey } from "../src/plan/names.js";
import type { DeployEvent, StepRecord } from "../src/state/model.js";
import type { BotConfig } from "./config.js";
import type { KeyedQueue } from "./queue.js";

// The bot's own credentials: a pushed tinyforge.yml must not copy them into a container through
// `secrets:` (whoever can push to the repo would read the bot's SSH key or forge token).
const BOT_CREDENTIALS = new Set([
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "GITHUB_TOKEN",
  "GITEA_TOKEN",
  "GITEA_WEBHOOK_SECRET",
  "GITLAB_TOKEN",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_WEBHOOK_URL",
]);

function botCredentialsAsked(config: Session["config"]): string[] {
  return Object.entries(config.workloads).flatMap(([name, w]) => {
    const asked = (w.secrets ?? []).filter((n) => BOT_CREDENTIALS.has(n) || n.startsWith("TINYFORGE_"));
    return asked.length > 0
      ? [
          `workloads.${name}.secrets: ${asked.join(", ")} ${asked.length === 1 ? "is" : "are"} the bot's own credentials, never passed to a container`,
        ]
      : [];
  });
}

/** Read access to a repo on its forge (GitHub App installation, Gitea token). */
export interface RepoSource {
  resolveRef(repo: string, ref: string): Promise<string>;
  /** A file's text at a commit, or undefined when the file does not exist. */
  readFile(repo: string, path: string, sha: string): Promise<string | undefined>;
  /** Writes the repo's tree at `sha` into `dir` (for dockerfile, static and compose sources). */
  fetchTree(repo: string, sha: string, dir: string): Promise<void>;
  /**
   * Env for a deploy's reporters (token, repository, API URL), for triggers that did not come
   * from the forge (a Slack command): their commit statuses go to the project's repo too.
   */
  forgeEnv?(repo: string): Promise<Record<string, string>>;
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
  workload?: string;
  tag?: string;
  kind: "deploy" | "rollback" | "teardown";
  trigger: string;
  /** A push: replaces older triggers still waiting for the same workload+stage. */
  supersedes?: boolean;
  /** Env for this deploy's reporters: GITHUB_TOKEN (installation token), GITHUB_REPOSITORY, API URL. */
  forgeEnv?: Record<string, string>;
  /** Extra observers: the PR comment, the Slack message of a chat command. */
  hooks?: DeployHooks[];
  onStep?: (workload: string, step: StepRecord) => void;
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

export interface Prepared {
  session: Session;
  stage: string;
  workloads: string[];
  cleanup(): void;
}

export class BotRunner {
  constructor(
    private readonly deps: {
      config: BotConfig;
      env: Record<string, string | undefined>;
      source: (project: string) => RepoSource;
      queue: KeyedQueue;
      /** Every event of every deploy the bot runs, as it happens (the events API's live stream). */
      onEvent?: (project: string, e: DeployEvent) => void;
    },
  ) {}

  /**
   * Reads and validates the repo's config at the SHA. A config error is thrown as config_invalid
   * (with every key path in its details) for the caller to put on the commit and the PR.
   * Returns undefined when no stage matches the ref (a push to a branch nobody deploys).
   */
  async prepare(t: Trigger): Promise<Prepared | undefined> {
    const project = this.deps.config.projects[t.project];
    if (!project)
      throw new TinyforgeError(
        "usage",
        `unknown project "${t.project}" (have: ${Object.keys(this.deps.config.projects).join(", ") || "none"})`,
      );
    const source = this.deps.source(t.project);
    const text = await source.readFile(project.repo, project.config_path, t.sha);
    // not_found, not config_invalid: a push to a branch without a tinyforge.yml is not an error
    // to put on its commit, while a broken one is.
    if (text === undefined)
      throw new TinyforgeError(
        "not_found",
        `${project.config_path} not found in ${project.repo} at ${t.sha.slice(0, 12)}`,
      );
    const dir = mkdtempSync(join(tmpdir(), "tinyforge-bot-"));
    const cleanup = () => rmSync(dir, { recursive: true, force: true });
    try {
      const file = join(dir, project.config_path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      // Hosts, keys and tokens are the bot's (its env), never the repo's.
      const forgeEnv = t.forgeEnv ?? (await source.forgeEnv?.(project.repo).catch(() => undefined));
      const session = await openSession(file, { ...this.deps.env, ...forgeEnv });
      // Statuses go to the forge the trigger came from (forgeEnv), never to an API the repo names:
      // a forge.api in a pushed tinyforge.yml would otherwise receive the bot's forge token.
      session.config = { ...session.config, forge: undefined };
      // Where to deploy is the operator's call: the bot config's hosts replace the repo's, so a
      // pushed tinyforge.yml cannot point the bot's SSH key at another machine. (Without them, the
      // repo's hosts are used, and only hosts pinned in TINYFORGE_KNOWN_HOSTS can be reached.)
      if (project.hosts) session.config = { ...session.config, hosts: project.hosts };
      const asked = botCredentialsAsked(session.config);
      if (asked.length > 0)
        throw new TinyforgeError(
          "config_invalid",
          `${project.config_path}: ${asked.length} error(s) in config`,
          {
            details: asked,
          },
        );
      const stages = Object.entries(session.config.stages);
      const stage =
        t.stage ??
        (t.preview
          ? stages.find(([, s]) => s.pull_requests)?.[0]
          : stages.find(([, s]) => t.ref && s.branch === t.ref)?.[0]);
      if (!stage) {
        cleanup();
        return undefined;
      }
      if (!session.config.stages[stage])
        throw new TinyforgeError(
          "usage",
          `unknown stage '${stage}'; stages: ${stages.map(([n]) => n).join(", ")}`,
        );
      const workloads = t.workload ? [t.workload] : Object.keys(session.config.workloads);
      for (const w of workloads) {
        if (!session.config.workloads[w])
          throw new TinyforgeError(
            "usage",
            `unknown workload '${w}'; workloads: ${Object.keys(session.config.workloads).join(", ")}`,
          );
      }
      const needsTree =
        t.kind === "deploy" && workloads.some((w) => session.config.workloads[w]!.source !== "image");
      // The tree's root is the repo's root; the config may sit below it (config_path: deploy/tinyforge.yml).
      if (needsTree) await source.fetchTree(project.repo, t.sha, dir);
      return { session, stage, workloads, cleanup };
    } catch (e) {
      cleanup();
      throw e;
    }
  }

  /** Queues the trigger's jobs; resolves with each workload's outcome once they ran. */
  async submit(t: Trigger, prepared: Prepared): Promise<Outcome[]> {
    const { session, stage, workloads } = prepared;
    const results = await Promise.all(
      workloads.map(
        (workload) =>
          new Promise<Outcome>((resolve, reject) => {
            this.deps.queue.enqueue({
              key: `${t.project}/${workload}/${stage}`,
              supersedes: t.supersedes,
              superseded: () =>
                resolve({ workload, stage, tag: t.tag ?? null, outcome: "superseded", lines: [] }),
              run: () => this.runOne(t, session, workload, stage).then(resolve, reject),
            });
          }),
      ),
    ).finally(() => prepared.cleanup());
    return results;
  }

  private async runOne(t: Trigger, s: Session, workload: string, stage: string): Promise<Outcome> {
    let last: Outcome | undefined;
    await forEachHost(s, async (host) => {
      const ctx = engineContext(s, host, t.kind === "deploy" || t.kind === "rollback" ? workload : undefined);
      ctx.hooks = [...(ctx.hooks ?? []), ...(t.hooks ?? [])];
      const onEvent = this.deps.onEvent;
      if (onEvent) ctx.onEvent = (e) => onEvent(t.project, e);
      if (t.onStep) ctx.onStep = (step) => t.onStep?.(workload, step);
      if (t.kind === "teardown") {
        const store = storeFor(ctx);
        const key = instanceKey({ workload, stage, tag: t.tag });
        const lines = await withLock(ctx, store, { workload, stage }, () =>
          teardownInstance(ctx, store, { workload, stage, tag: t.tag, key }),
        );
        last = { workload, stage, tag: t.tag ?? null, outcome: "removed", lines };
        return true;
      }
      const r =
        t.kind === "rollback"
          ? await rollback(ctx, { workload, stage, tag: t.tag })
          : await deploy(ctx, { workload, stage, tag: t.tag, sha: t.sha, ref: t.ref, trigger: t.trigger });
      last = r;
      return r.outcome !== "failed";
    });
    return last!;
  }
}
