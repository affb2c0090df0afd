// A local Slack for tests: the Web API's chat.postMessage (thread replies included) /
// chat.update / chat.postEphemeral (form or JSON bodies,
// Bearer auth, errors as HTTP 200 with ok: false, 429 with Retry-After) and an incoming webhook
// (200 "ok", 400 invalid_payload, 403 invalid_token, 404 no_service, 410 channel_is_archived).
// https://api.slack.com/methods/chat.postMessage · https://api.slack.com/messaging/webhooks
import { createHmac } from "node:crypto";
import { type Answer, FakeApi, type Recorded } from "./github-server.js";

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** Every version the message had, first post first. */
  history: Array<{ text: string; blocks: unknown[] }>;
  /** Set on a reply: the ts of the message whose thread it is in. */
  thread_ts?: string;
}

/** A message only one user saw (chat.postEphemeral): never stored in the channel, never editable. */
export interface SlackEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[];
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
  readonly ephemerals: SlackEphemeral[] = [];
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
      const thread = typeof b.thread_ts === "string" && b.thread_ts ? b.thread_ts : undefined;
      if (thread && !this.messages.some((m) => m.channel === channel && m.ts === thread))
        return { status: 200, body: { ok: false, error: "thread_not_found" } };
      this.messages.push({
        channel,
        ts,
        text,
        blocks,
        history: [{ text, blocks }],
        ...(thread ? { thread_ts: thread } : {}),
      });
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
    if (r.path === "/api/chat.postEphemeral") {
      if (typeof b.channel !== "string" || !b.channel)
        return { status: 200, body: { ok: false, error: "channel_not_found" } };
      if (typeof b.user !== "string" || !b.user)
        return { status: 200, body: { ok: false, error: "user_not_in_channel" } };
      if (!text && blocks.length === 0) return { status: 200, body: { ok: false, error: "no_text" } };
      this.ephemerals.push({ channel: b.channel, user: b.user, text, blocks });
      return {
        status: 200,
        body: { ok: true, message_ts: `1700000000.${String(++this.seq).padStart(6, "0")}` },
      };
    }
    return { status: 404, body: { ok: false, error: "unknown_method" } };
  }
}

// --- What Slack sends to an app ------------------------------------------------------------------
// https://api.slack.com/authentication/verifying-requests-from-slack
// https://api.slack.com/interactivity/slash-commands · https://api.slack.com/reference/interaction-payloads/block-actions

/** `v0=` + HMAC-SHA256 of `v0:TIMESTAMP:BODY` with the app's signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export const TEAM = { id: "T0TEST0001", domain: "tinyforge-test" };

/** A slash command's form body, every field Slack sends. */
export function slashCommandBody(c: {
  text: string;
  user: string;
  channel: string;
  command?: string;
  userName?: string;
  channelName?: string;
}): string {
  return new URLSearchParams({
    token: "gIkuvaNzQIHg97ATvDxqgjtO",
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: c.channel,
    channel_name: c.channelName ?? "deploys",
    user_id: c.user,
    user_name: c.userName ?? c.user.toLowerCase(),
    command: c.command ?? "/deploy",
    text: c.text,
    api_app_id: "A0TESTAPP1",
    is_enterprise_install: "false",
    response_url: "https://hooks.slack.com/commands/T0TEST0001/1234567890/abcdefghijklmnop",
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
  }).toString();
}

/** A block_actions payload (a button clicked on a message), form-encoded as Slack posts it. */
export function blockActionsBody(a: {
  user: string;
  channel: string;
  message: { ts: string; text: string; blocks: unknown[] };
  actionId: string;
  value: string;
}): string {
  const payload = {
    type: "block_actions",
    user: { id: a.user, username: a.user.toLowerCase(), name: a.user.toLowerCase(), team_id: TEAM.id },
    api_app_id: "A0TESTAPP1",
    token: "gIkuvaNzQIHg97ATvDxqgjtO",
    container: { type: "message", message_ts: a.message.ts, channel_id: a.channel, is_ephemeral: false },
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: a.channel, name: "deploys" },
    message: {
      type: "message",
      user: "U0TESTBOT1",
      ts: a.message.ts,
      bot_id: "B0TEST",
      text: a.message.text,
      blocks: a.message.blocks,
    },
    state: { values: {} },
    response_url: "https://hooks.slack.com/actions/T0TEST0001/1234567890/abcdefghijklmnop",
    actions: [
      {
        action_id: a.actionId,
        block_id: "Xk1v",
        text: { type: "plain_text", text: "Roll back", emoji: true },
        value: a.value,
        style: "danger",
        type: "button",
        action_ts: `${Math.floor(Date.now() / 1000)}.123456`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface AppAnswer {
  status: number;
  body: string;
  /** From sending the request to the end of the answer: Slack gives up after 3 s. */
  ms: number;
}

/** Posts a body to an app as Slack does: form-encoded, signed now (or as `sign` says). */
export async function sendToApp(
  url: string,
  body: string,
  secret: string,
  sign: { timestamp?: number; signature?: string } = {},
): Promise<AppAnswer> {
  const timestamp = sign.timestamp ?? Math.floor(Date.now() / 1000);
  const t0 = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": sign.signature ?? slackSignature(secret, timestamp, body),
      "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - t0 };
}
