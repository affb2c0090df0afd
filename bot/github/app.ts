// The Probot app: `(app) => void`, as Probot wants it. Each handler maps its payload onto the
// forge-neutral flows and returns at once; the deploy runs in the background (bot/forge/tasks.ts),
// well inside GitHub's 10 s delivery timeout.
import type { ApplicationFunction, Context } from "probot";
import type { ForgeFlows } from "../forge/flows.js";
import type { Logger } from "../forge/types.js";
import type { Installations } from "./installations.js";
import { GitHubRepoApi } from "./repo-api.js";

export interface GitHubAppDeps {
  flows: ForgeFlows;
  installations: Installations;
  /** The API base Probot talks to (https://api.github.com, or GHE_HOST's /api/v3). */
  api: string;
  log: Logger;
}

type RepoContext = Context<
  "push" | "pull_request" | "issue_comment" | "status" | "check_run" | "check_suite"
>;

/** A repo's RepoApi outside a delivery (a trigger resumed after a restart). */
export async function githubRepoApi(deps: Omit<GitHubAppDeps, "flows" | "log">, repo: string) {
  return new GitHubRepoApi(
    await deps.installations.octokit(repo),
    repo,
    deps.api,
    () => deps.installations.botLogin(),
    () => deps.installations.token(repo),
  );
}

export function githubApp(deps: GitHubAppDeps): ApplicationFunction {
  const repoApi = (context: RepoContext) => {
    const repo = context.payload.repository.full_name;
    const installation = (context.payload as { installation?: { id?: number } }).installation;
    deps.installations.remember(repo, installation?.id);
    return new GitHubRepoApi(
      context.octokit,
      repo,
      deps.api,
      () => deps.installations.botLogin(),
      () => deps.installations.token(repo),
    );
  };
  // Answered (Probot awaits the handler) only once what the event accepted is on disk.
  const note = async (context: RepoContext, what: string) => {
    deps.log.info(`github ${context.name} ${context.payload.repository.full_name}: ${what}`);
    await deps.flows.durable();
  };

  return (app) => {
    app.on("push", async (context) => {
      const p = context.payload;
      await note(
        context,
        deps.flows.push(repoApi(context), { ref: p.ref, after: p.after, deleted: p.deleted }),
      );
    });

    app.on(
      [
        "pull_request.opened",
        "pull_request.synchronize",
        "pull_request.reopened",
        "pull_request.closed",
        "pull_request.labeled",
        "pull_request.unlabeled",
      ],
      async (context) => {
        const p = context.payload;
        const pr = p.pull_request;
        const label = (p as { label?: { name?: string } }).label?.name;
        const result = deps.flows.pullRequest(repoApi(context), {
          action: p.action,
          number: pr.number,
          headSha: pr.head.sha,
          headRef: pr.head.ref,
          headRepo: pr.head.repo?.full_name ?? null,
          labels: (pr.labels ?? []).map((l) => l.name),
          ...(label !== undefined ? { label } : {}),
        });
        await note(context, result);
      },
    );

    // A commit's checks changed: deploys held by wait_for_checks look again.
    app.on("status", async (context) => {
      const p = context.payload;
      await note(context, deps.flows.checks(repoApi(context), { sha: p.sha, context: p.context }));
    });
    app.on(["check_run.completed", "check_run.rerequested", "check_run.created"], async (context) => {
      await note(context, deps.flows.checks(repoApi(context), { sha: context.payload.check_run.head_sha }));
    });
    app.on(["check_suite.completed", "check_suite.rerequested"], async (context) => {
      await note(context, deps.flows.checks(repoApi(context), { sha: context.payload.check_suite.head_sha }));
    });

    app.on("issue_comment.created", async (context) => {
      const p = context.payload;
      const result = deps.flows.comment(repoApi(context), {
        issue: p.issue.number,
        isPull: Boolean(p.issue.pull_request),
        commentId: p.comment.id,
        body: p.comment.body,
        user: p.comment.user?.login ?? p.sender.login,
        bot: p.comment.user?.type === "Bot" || p.sender.type === "Bot",
      });
      await note(context, result);
    });
  };
}
