// A local Slack for tests: the Web API's chat.postMessage / chat.update (form or JSON bodies,
// Bearer auth, errors as HTTP 200 with ok: false, 429 with Retry-After) and an incoming webhook
// (200 "ok", 400 invalid_payload, 403 invalid_token, 404 no_service, 410 channel_is_archived).
// https://api.slack.com/methods/chat.postMessage · https://api.slack.com/messaging/webhooks
import { type Answer, FakeApi, type Recorded } from "./github-server.js";

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** Every version the message had, first post first. */
  history: Array<{ text: string; blocks: unknown[] }>;
}

export const WEBHOOK_PATH = "/services/T0TEST/B0TEST/x9y8z7w6v5u4t3s2r1q0";

const PLATFORM_ERROR: Record<number, string> = {
  401: "invalid_auth",
  403: "missing_scope",
  404: "channel_not_found",
  422: "invalid_blocks",
};

export class FakeSlack extends FakeApi {
  readonly messages: SlackMessage[] = [];
  /** What the incoming webhook received, in order. */
  readonly webhookPosts: Array<{ text: string; blocks: unknown[] }> = [];
  private seq = 0;

  /** The Web API base a client's slackApiUrl names. */
  get api(): string {
    return `${this.url}/api/`;
  }

  get webhookUrl(): string {
    return `${this.url}${WEBHOOK_PATH}`;
  }

  protected tokenOf(r: Recorded): string | undefined {
    // The incoming webhook's credential is its path; the Web API's is the Bearer token.
    if (r.path.startsWith("/services/")) return r.path === WEBHOOK_PATH ? this.token : undefined;
    return (
      /^bearer (.+)$/i.exec(String(r.headers.authorization ?? ""))?.[1] ??
      (r.body.token as string | undefined)
    );
  }

  protected errorBody(status: number): unknown {
    return PLATFORM_ERROR[status] ? { ok: false, error: PLATFORM_ERROR[status] } : "Internal Server Error";
  }

  protected override error(status: number): Answer {
    if (PLATFORM_ERROR[status]) return { status: 200, body: this.errorBody(status) };
    return { status, body: "Internal Server Error" };
  }

  protected override reflect(echo: string): Answer {
    return { status: 200, body: { ok: false, error: `invalid_auth ${echo}` } };
  }

  /** A request that failed auth: the webhook answers 404 no_service, the API not_authed/invalid_auth. */
  protected override unauthorized(r: Recorded): Answer {
    if (r.path.startsWith("/services/")) return { status: 404, body: "no_service" };
    return {
      status: 200,
      body: { ok: false, error: r.headers.authorization ? "invalid_auth" : "not_authed" },
    };
  }

  protected route(r: Recorded): Answer {
    if (r.method !== "POST") return { status: 405, body: "method_not_allowed" };
    if (r.path === WEBHOOK_PATH) {
      const text = r.body.text;
      if (typeof text !== "string" || !text) return { status: 400, body: "invalid_payload" };
      this.webhookPosts.push({ text, blocks: Array.isArray(r.body.blocks) ? r.body.blocks : [] });
      return { status: 200, body: "ok" };
    }
    const b = r.body;
    const blocks = Array.isArray(b.blocks) ? b.blocks : [];
    const text = typeof b.text === "string" ? b.text : "";
    if (r.path === "/api/chat.postMessage") {
      if (typeof b.channel !== "string" || !b.channel)
        return { status: 200, body: { ok: false, error: "channel_not_found" } };
      if (!text && blocks.length === 0) return { status: 200, body: { ok: false, error: "no_text" } };
      // Slack answers with the channel's ID even when given a name.
      const channel = b.channel.startsWith("C") ? b.channel : "C0TESTCHAN1";
      const ts = `1700000000.${String(++this.seq).padStart(6, "0")}`;
      this.messages.push({ channel, ts, text, blocks, history: [{ text, blocks }] });
      return {
        status: 200,
        body: { ok: true, channel, ts, message: { type: "message", text, blocks, ts, bot_id: "B0TEST" } },
      };
    }
    if (r.path === "/api/chat.update") {
      const m = this.messages.find((x) => x.channel === b.channel && x.ts === b.ts);
      if (!m) return { status: 200, body: { ok: false, error: "message_not_found" } };
      m.text = text;
      m.blocks = blocks;
      m.history.push({ text, blocks });
      return {
        status: 200,
        body: { ok: true, channel: m.channel, ts: m.ts, text, message: { text, blocks } },
      };
    }
    return { status: 404, body: { ok: false, error: "unknown_method" } };
  }
}
