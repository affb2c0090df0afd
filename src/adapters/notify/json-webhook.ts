// A generic JSON webhook (notify.webhook): one POST per finished deploy, nothing read back but
// the status. The URL may carry a token in its path, so failures never repeat it.
import { HttpStatusError, OutboundError, safeFetch } from "../../net/fetch.js";
import type { WebhookSender } from "../../ports/notifier.js";

export class JsonWebhook implements WebhookSender {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    /** Only public addresses, at connect time too: a URL a repository chose, in the bot. */
    private readonly publicOnly = false,
  ) {}

  async send(payload: Record<string, unknown>): Promise<void> {
    const what = "endpoint";
    let res: Response;
    try {
      res = await safeFetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "tinyforge" },
        body: JSON.stringify(payload),
        timeoutMs: this.timeoutMs,
        publicOnly: this.publicOnly,
      });
    } catch (e) {
      throw new OutboundError(`${what}: ${e instanceof OutboundError ? e.message : "connection failed"}`);
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status > 299) throw new HttpStatusError(res.status, what);
  }
}
