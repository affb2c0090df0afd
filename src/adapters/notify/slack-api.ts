// Slack through a bot token: chat.postMessage once, then chat.update on the same message.
// WebClient's own retries (up to 30 min) and console logger are off: a deploy does not wait on
// Slack, and our warnings go through the deploy's events. Errors name the HTTP status or Slack's
// error code (a snake_case word), never anything else from the answer.
import type { Logger, WebClient } from "@slack/web-api";
import { guardedAgent, OutboundError } from "../../net/fetch.js";
import type { ChatMessage, MessageRef, Notifier } from "../../ports/notifier.js";

export const SLACK_API_URL = "https://slack.com/api/";

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  // LogLevel.ERROR, spelled out: the enum's value would load the package before it is needed.
  getLevel: () => "error" as ReturnType<Logger["getLevel"]>,
  setName: () => {},
};

/** A Slack failure in a few safe words: the call and the HTTP status or Slack's error code. */
export function slackFailure(what: string, e: unknown): Error {
  const err = e as {
    code?: string;
    statusCode?: number;
    data?: { error?: unknown };
    original?: { code?: string; cause?: unknown };
  };
  switch (err.code) {
    case "slack_webapi_platform_error": {
      const code = err.data?.error;
      // Slack's codes are words like channel_not_found; anything else is not repeated.
      return new OutboundError(
        `${what}: ${typeof code === "string" && /^[a-z_]{1,64}$/.test(code) ? code : "not ok"}`,
      );
    }
    case "slack_webapi_http_error":
      return new OutboundError(`${what} answered HTTP ${err.statusCode}`);
    case "slack_webapi_rate_limited_error":
      return new OutboundError(`${what} answered HTTP 429 (rate limited)`);
    case "slack_webapi_request_error": {
      const o = err.original;
      if (o?.cause instanceof OutboundError) return new OutboundError(`${what}: ${o.cause.message}`);
      if (o?.code === "ECONNABORTED" || o?.code === "ETIMEDOUT")
        return new OutboundError(`${what}: no answer in time`);
      return new OutboundError(`${what}: connection failed${o?.code ? ` (${o.code})` : ""}`);
    }
    default:
      return new OutboundError(`${what}: failed`);
  }
}

export class SlackApiNotifier implements Notifier {
  readonly kind = "slack";
  readonly updatable = true;
  // Loaded on first use, like Octokit in the GitHub forge: a CLI deploy parses it only if it posts.
  private readonly client: Promise<WebClient>;

  constructor(
    token: string,
    private readonly channel: string,
    apiUrl: string,
    timeoutMs: number,
  ) {
    const options = {
      slackApiUrl: apiUrl,
      agent: guardedAgent(new URL(apiUrl)),
      timeout: timeoutMs,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silent,
      // slackFailure reads only the code of axios' error: it quotes the request, headers included.
      attachOriginalToWebAPIRequestError: true,
    };
    this.client = import("@slack/web-api").then(({ WebClient }) => new WebClient(token, options));
  }

  async post(m: ChatMessage): Promise<MessageRef | undefined> {
    try {
      const res = await (await this.client).chat.postMessage({
        channel: this.channel,
        text: m.text,
        blocks: m.blocks,
        unfurl_links: false,
      });
      return res.channel && res.ts ? { channel: res.channel, ts: res.ts } : undefined;
    } catch (e) {
      throw slackFailure("chat.postMessage", e);
    }
  }

  /** A reply in the message's thread (the bot's failure reason under its deploy message). */
  async reply(ref: MessageRef, m: ChatMessage): Promise<MessageRef | undefined> {
    try {
      const res = await (await this.client).chat.postMessage({
        channel: ref.channel,
        thread_ts: ref.ts,
        text: m.text,
        blocks: m.blocks,
        unfurl_links: false,
      });
      return res.channel && res.ts ? { channel: res.channel, ts: res.ts } : undefined;
    } catch (e) {
      throw slackFailure("chat.postMessage", e);
    }
  }

  /** A message only `user` sees, in this notifier's channel (refusals, errors, status). */
  async postEphemeral(user: string, m: ChatMessage): Promise<void> {
    try {
      await (await this.client).chat.postEphemeral({
        channel: this.channel,
        user,
        text: m.text,
        blocks: m.blocks,
      });
    } catch (e) {
      throw slackFailure("chat.postEphemeral", e);
    }
  }

  async update(ref: MessageRef, m: ChatMessage): Promise<void> {
    try {
      await (await this.client).chat.update({
        channel: ref.channel,
        ts: ref.ts,
        text: m.text,
        blocks: m.blocks,
      });
    } catch (e) {
      throw slackFailure("chat.update", e);
    }
  }
}
