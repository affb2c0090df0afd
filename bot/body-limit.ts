// Webhook bodies are refused before they are buffered: by their declared Content-Length (413), and
// by a budget shared by every delivery being read at once (503). A signature can only be checked
// over the whole body, so without the budget a burst of large unsigned bodies sits in memory
// together before the first 401; with it, at most `budgetBytes` does.
import type { IncomingMessage, ServerResponse } from "node:http";

/** GitHub caps webhook payloads at 25 MB; Gitea and Slack send far less. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
export const WEBHOOK_BUDGET_BYTES = 64 * 1024 * 1024;

export type Admission = { ok: true } | { ok: false; status: 413 | 503 | 400; error: string };

export class BodyBudget {
  private inFlight = 0;

  constructor(
    readonly maxBytes = MAX_WEBHOOK_BYTES,
    readonly budgetBytes = WEBHOOK_BUDGET_BYTES,
  ) {}

  /** Reserves the body's size until the response is done, or says why it is refused. */
  admit(req: IncomingMessage, res: ServerResponse): Admission {
    const declared = req.headers["content-length"];
    let size = this.maxBytes; // chunked: the streaming cap (readBody) is what bounds it
    if (declared !== undefined) {
      if (!/^\d{1,15}$/.test(declared)) return { ok: false, status: 400, error: "bad Content-Length" };
      size = Number(declared);
      if (size > this.maxBytes) {
        return { ok: false, status: 413, error: `payload too large (at most ${this.maxBytes} bytes)` };
      }
    }
    if (this.inFlight + size > this.budgetBytes) {
      return { ok: false, status: 503, error: "too many large deliveries at once; retry later" };
    }
    this.inFlight += size;
    res.once("close", () => {
      this.inFlight -= size;
    });
    return { ok: true };
  }
}
