// Where a repository may have the bot tell of its deploys (notify:). The bot posts with what is its
// own: its SLACK_BOT_TOKEN, into the channel the repo names; its network, to the URL the repo names.
// So a channel must be one the operator named for the project (notify_channels, or a channel its
// deploys may come from, allow.S.slack_channels), and a webhook must be https to a public address
// unless the operator lists its origin (notify_webhook_origins): a pushed file must not aim the
// bot's POSTs at its loopback (a proxy's admin API) or private network, and read the answers'
// statuses back in the deploy's events. A name is checked again when it connects (it may resolve
// elsewhere by then): admit() tells the session to send the webhook public-only.
import type { Config } from "../../config/schema.js";
import { refusedHost } from "../../net/address.js";

export interface NotifyGrants {
  /** Slack channels the repo's notify.slack.channel may name, beside its allow.S.slack_channels. */
  notify_channels?: readonly string[];
  /** Origins ("http://10.0.0.9:8080") a repo's notify.webhook may reach whatever its scheme and address. */
  notify_webhook_origins?: readonly string[];
  /** Who may deploy from chat, per stage: its channels are the project's too. */
  allow?: Readonly<Record<string, { slack_channels?: readonly string[] }>>;
}

/** "scheme://host[:port]" of a URL, lowercased and without a default port; undefined if it is none. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One line per notify key the repo set past the operator's grants; `publicWebhook` when the
 * webhook (if any) must reach public addresses only as it is sent.
 */
export function notifyProblems(
  config: Config,
  g: NotifyGrants,
  where: string,
): { problems: string[]; publicWebhook: boolean } {
  const problems: string[] = [];
  const channel = config.notify?.slack?.channel;
  if (channel !== undefined) {
    const granted = [
      ...(g.notify_channels ?? []),
      ...Object.values(g.allow ?? {}).flatMap((a) => a.slack_channels ?? []),
    ];
    if (!granted.includes(channel))
      problems.push(
        `notify.slack.channel: ${JSON.stringify(channel)} is not in ${where}.notify_channels (nor a stage's allow.S.slack_channels)`,
      );
  }
  const webhook = config.notify?.webhook;
  if (webhook === undefined) return { problems, publicWebhook: true };
  const origin = originOf(webhook);
  const granted = (g.notify_webhook_origins ?? []).some((o) => originOf(o) === origin);
  if (granted) return { problems, publicWebhook: false };
  // The URL's path may be its credential: only its scheme and host are ever repeated.
  const u = new URL(webhook);
  const why = u.protocol !== "https:" ? `got ${u.protocol.slice(0, -1)}` : refusedHost(u.hostname, true);
  if (why)
    problems.push(
      `notify.webhook: must be https to a public address (${why}), or its origin in ${where}.notify_webhook_origins`,
    );
  return { problems, publicWebhook: true };
}
