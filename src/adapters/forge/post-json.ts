// One JSON POST to a forge API through the guarded client. Failures say which call and which
// HTTP status (or "no answer within …"), never a word of the answer: a hostile or misconfigured
// server could echo our Authorization header back in its body.
import { HttpStatusError, OutboundError, safeFetch } from "../../net/fetch.js";

export async function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  what: string,
  timeoutMs: number,
): Promise<unknown> {
  let res: Response;
  try {
    res = await safeFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify(body),
      timeoutMs,
    });
  } catch (e) {
    throw new OutboundError(`${what}: ${e instanceof OutboundError ? e.message : "connection failed"}`);
  }
  // 3xx included: a redirect is not followed (it could point anywhere), so it is a failure here.
  if (res.status < 200 || res.status > 299) {
    await res.body?.cancel().catch(() => undefined);
    throw new HttpStatusError(res.status, what);
  }
  return res.json().catch(() => undefined);
}
