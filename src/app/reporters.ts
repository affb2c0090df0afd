// Who hears of a deploy, built from the config and the typed credentials: the forge's commit
// status (and GitHub deployment), Slack, a JSON webhook. What cannot be built (no token, no
// repository, a refused URL) becomes one warning per deploy, never an error.
import { GitHubForge } from "../adapters/forge/github.js";
import { GiteaForge } from "../adapters/forge/gitea.js";
import { GitLabForge } from "../adapters/forge/gitlab.js";
import { JsonWebhook } from "../adapters/notify/json-webhook.js";
import { SLACK_API_URL, SlackApiNotifier } from "../adapters/notify/slack-api.js";
import { SlackWebhookNotifier } from "../adapters/notify/slack-webhook.js";
import type { Config } from "../config/schema.js";
import type { DeployHooks } from "../deploy/hooks.js";
import type { Redactor } from "../events/redact.js";
import { own } from "../config/lookup.js";
import { assertCallable, DEFAULT_TIMEOUT_MS } from "../net/fetch.js";
import type { Forge, ForgeKind } from "../ports/forge.js";
import type { Notifier } from "../ports/notifier.js";
import { ChatReporter } from "../report/chat.js";
import { CommitStatusReporter, DEFAULT_CONTEXT } from "../report/commit-status.js";
import { DeploymentReporter } from "../report/github-deployment.js";
import { Notice } from "../report/notice.js";
import { WebhookReporter } from "../report/webhook.js";
import type { Credentials, ForgeCredentials } from "./credentials.js";

/** Where statuses would go, from forge: in the config with what the run knows as defaults. */
export interface ForgePlan {
  kind: ForgeKind;
  api?: string;
  repo?: string;
  token?: string;
  /** Env name the token is read from, for the message when it is missing. */
  tokenName: string;
  /** The forge's web address, for links to a commit. */
  web?: string;
}

function defaultKind(run: ForgeCredentials): ForgeKind {
  if (run.kind) return run.kind;
  const t = run.tokens;
  if (!t.github && t.gitea) return "gitea";
  if (!t.github && t.gitlab) return "gitlab";
  return "github";
}

/** "https://api.github.com" → "https://github.com"; "https://git.example/api/v1" → "https://git.example". */
export function webFromApi(kind: ForgeKind, api: string): string {
  const base = api.replace(/\/+$/, "");
  if (kind === "github" && /^https:\/\/api\.github\.com$/i.test(base)) return "https://github.com";
  return base.replace(
    kind === "github" ? /\/api(?:\/v3)?$/ : kind === "gitea" ? /\/api\/v1$/ : /\/api\/v4$/,
    "",
  );
}

export function forgePlan(forge: Config["forge"], run: ForgeCredentials): ForgePlan {
  const kind = forge?.kind ?? defaultKind(run);
  const t = run.tokens;
  // Gitea Actions hands out its job token as GITHUB_TOKEN (and GITEA_TOKEN).
  const token = kind === "github" ? t.github : kind === "gitea" ? (t.gitea ?? t.github) : t.gitlab;
  const tokenName = kind === "github" ? "GITHUB_TOKEN" : kind === "gitea" ? "GITEA_TOKEN" : "GITLAB_TOKEN";
  const place = (kind === "gitlab" ? run.gitlab : run.actions) ?? {};
  const fallback =
    kind === "github"
      ? "https://api.github.com"
      : kind === "gitlab"
        ? "https://gitlab.com/api/v4"
        : undefined;
  const api = forge?.api ?? place.api ?? fallback;
  const repo = forge?.repo ?? place.repo;
  // An explicit api names the forge; the CI's server URL only describes the CI's own forge.
  const web = forge?.api
    ? webFromApi(kind, forge.api)
    : (place.web ?? (api ? webFromApi(kind, api) : undefined));
  return { kind, api, repo, token, tokenName, web: web?.replace(/\/+$/, "") };
}

export function commitUrl(plan: ForgePlan, sha: string): string | undefined {
  if (!plan.web || !plan.repo) return undefined;
  return `${plan.web}/${plan.repo}${plan.kind === "gitlab" ? "/-" : ""}/commit/${sha}`;
}

/** Why a URL from the config or env may not be called, or undefined. */
function refused(url: string, publicOnly = false): string | undefined {
  try {
    assertCallable(new URL(url), publicOnly);
    return undefined;
  } catch (e) {
    return e instanceof Error && e.message !== "Invalid URL" ? e.message : "not a valid URL";
  }
}

function forgeFor(plan: ForgePlan & { api: string; repo: string; token: string }): Forge {
  const { api, repo, token } = plan;
  if (plan.kind === "github") return new GitHubForge(api, repo, token, DEFAULT_TIMEOUT_MS);
  if (plan.kind === "gitea") return new GiteaForge(api, repo, token, DEFAULT_TIMEOUT_MS);
  return new GitLabForge(api, repo, token, DEFAULT_TIMEOUT_MS);
}

/**
 * Someone expects a commit status: a forge or a status context is configured, a forge token is
 * set, or the deploy runs in a forge's CI. Otherwise a missing token is not news worth a line.
 */
function statusExpected(config: Config, run: ForgeCredentials): boolean {
  return (
    !!config.forge ||
    Object.values(config.stages).some((s) => s.status_context) ||
    Object.values(run.tokens).some(Boolean) ||
    !!run.ci ||
    !!run.actions?.repo
  );
}

function statusReporters(
  config: Config,
  plan: ForgePlan,
  run: ForgeCredentials,
  redact: Redactor,
): DeployHooks[] {
  const name = "commit status";
  if (!plan.token) {
    if (!statusExpected(config, run)) return [];
    const anyToken = Object.values(run.tokens).some(Boolean);
    return [
      new Notice(
        name,
        config.forge || anyToken
          ? `not sent: ${plan.tokenName} is not set`
          : "not sent: no forge token in the environment (GITHUB_TOKEN, GITEA_TOKEN or GITLAB_TOKEN)",
      ),
    ];
  }
  if (!plan.repo)
    return [
      new Notice(
        name,
        `not sent: no repository (set forge.repo, or ${plan.kind === "gitlab" ? "CI_PROJECT_PATH" : "GITHUB_REPOSITORY"})`,
      ),
    ];
  if (!plan.api)
    return [new Notice(name, "not sent: no API URL (set forge.api, e.g. https://gitea.example.com/api/v1)")];
  const why = refused(plan.api);
  if (why) return [new Notice(name, `not sent: forge API ${why}`)];
  if (plan.kind !== "gitlab" && !/^[^/\s]+\/[^/\s]+$/.test(plan.repo))
    return [new Notice(name, `not sent: repository must be "owner/name" (got ${JSON.stringify(plan.repo)})`)];
  const forge = forgeFor({ ...plan, api: plan.api, repo: plan.repo, token: plan.token });
  const contextFor = (stage: string) => own(config.stages, stage)?.status_context || DEFAULT_CONTEXT;
  const hooks: DeployHooks[] = [new CommitStatusReporter(forge, contextFor, redact)];
  if (forge instanceof GitHubForge) hooks.push(new DeploymentReporter(forge, redact));
  return hooks;
}

function slackReporter(
  config: Config,
  c: Credentials["notify"],
  plan: ForgePlan,
  redact: Redactor,
): DeployHooks | undefined {
  const name = "slack";
  const token = c.slackToken;
  const webhook = c.slackWebhook;
  const channel = config.notify?.slack?.channel;
  let notifier: Notifier;
  if (token && channel) {
    const api = c.slackApi ?? SLACK_API_URL;
    const why = refused(api);
    if (why) return new Notice(name, `not sent: SLACK_API_URL ${why}`);
    notifier = new SlackApiNotifier(token, channel, api, DEFAULT_TIMEOUT_MS);
  } else if (webhook) {
    // Never repeat the webhook URL: its path is the credential.
    if (refused(webhook))
      return new Notice(name, "not sent: SLACK_WEBHOOK_URL is refused or not a valid URL");
    notifier = new SlackWebhookNotifier(webhook, DEFAULT_TIMEOUT_MS);
  } else if (token) {
    return new Notice(name, "not sent: SLACK_BOT_TOKEN is set but notify.slack.channel is not");
  } else if (config.notify?.slack) {
    return new Notice(
      name,
      "not sent: notify.slack is set but neither SLACK_BOT_TOKEN nor SLACK_WEBHOOK_URL is",
    );
  } else {
    return undefined;
  }
  return new ChatReporter(notifier, redact, (sha) => commitUrl(plan, sha));
}

/** The hooks for one workload's deploys; `publicWebhook`: notify.webhook reaches public addresses only. */
export function reportersFor(
  config: Config,
  credentials: Credentials,
  workload: string,
  redact: Redactor,
  { publicWebhook = false }: { publicWebhook?: boolean } = {},
): DeployHooks[] {
  const w = own(config.workloads, workload);
  if (!w) return [];
  const plan = forgePlan(config.forge, credentials.forge);
  const hooks: DeployHooks[] = [];
  if (w.report_commit_status) hooks.push(...statusReporters(config, plan, credentials.forge, redact));
  const slack = slackReporter(config, credentials.notify, plan, redact);
  if (slack) hooks.push(slack);
  const webhook = config.notify?.webhook;
  if (webhook) {
    // Never repeat the URL (its path may be the credential): say which rule refused it.
    const why = refused(webhook, publicWebhook);
    hooks.push(
      why
        ? new Notice(
            "webhook",
            `not sent: notify.webhook is refused (${publicWebhook ? "not a public address" : "link-local or metadata address"})`,
          )
        : new WebhookReporter(new JsonWebhook(webhook, DEFAULT_TIMEOUT_MS, publicWebhook), redact),
    );
  }
  return hooks;
}
