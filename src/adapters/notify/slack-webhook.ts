// Slack through an incoming webhook: it can post, not edit, so the reporter posts the result only.
// https://api.slack.com/messaging/webhooks — answers 200 "ok", or 400/403/404/410 with a word.
import { HttpStatusError, OutboundError, safeFetch } from "../../net/fetch.js";
import type { ChatMessage, MessageRef, Notifier } from "../../ports/notifier.js";

export class SlackWebhookNotifier implements Notifier {
  readonly kind = "slack-webhook";
  readonly updatable = false;

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async post(m: ChatMessage): Promise<MessageRef | undefined> {
    const what = "incoming webhook";
    let res: Response;
    try {
      res = await safeFetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: m.text, blocks: m.blocks, unfurl_links: false }),
        timeoutMs: this.timeoutMs,
      });
    } catch (e) {
      throw new OutboundError(`${what}: ${e instanceof OutboundError ? e.message : "connection failed"}`);
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status > 299) throw new HttpStatusError(res.status, what);
    return undefined;
  }

  async update(): Promise<void> {
    // Incoming webhooks cannot edit a message; the reporter never asks (updatable is false).
  }
}
