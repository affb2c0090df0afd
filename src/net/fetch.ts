// Outbound HTTP to URLs users give us (forge APIs, Slack, webhooks), with three guarantees fetch()
// alone does not give: link-local/metadata addresses are refused even when a name only resolves to
// one (the check runs inside the connection's own DNS lookup, so a rebinding name cannot slip past
// between check and connect); redirects are never followed (a 3xx is handed back as it is); and
// every call ends within its timeout, body included. A call may ask for public addresses only (a URL a
// repository chose, in the bot): the same lookup then refuses loopback and private ones too. Connections are kept alive between calls to
// one origin: a deploy's statuses (pending, then success) do not each pay a TCP and TLS handshake.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { refusedAddress, refusedHost } from "./address.js";

export const DEFAULT_TIMEOUT_MS = 5000;
/** We read statuses and ids, never documents: a larger answer is cut (and a hostile one bounded). */
const BODY_LIMIT = 1024 * 1024;

/** An outbound call that did not get an answer; the message never carries what the server said. */
export class OutboundError extends Error {
  override name = "OutboundError";
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A lookup (for net.connect) that fails when any address a name resolves to is refused;
 * `publicOnly`: any address that is not public, too.
 */
export function guardLookup(resolve: Resolve = dnsLookup, publicOnly = false): LookupFunction {
  return (hostname, options, callback) => {
    const cb = callback as unknown as LookupCallback;
    const opts = options as LookupOptions;
    resolve(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return cb(err, []);
      // Any bad address refuses the name: picking a "good" one would leave the choice to the resolver.
      for (const a of addresses) {
        const why = refusedAddress(a.address, publicOnly);
        if (why)
          return cb(
            Object.assign(new OutboundError(`refused ${hostname}: ${why}`), { code: "EREFUSED_ADDR" }),
            [],
          );
      }
      if (opts.all) return cb(null, addresses);
      const first = addresses[0];
      if (!first)
        return cb(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
      cb(null, first.address, first.family);
    });
  };
}

export const guardedLookup = guardLookup();
const publicLookup = guardLookup(dnsLookup, true);

/**
 * Throws when a URL may not be called at all: a non-HTTP scheme, a refused literal address or name
 * (`publicOnly`: any but a public one).
 */
export function assertCallable(url: URL, publicOnly = false): void {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new OutboundError(`refused ${url.protocol} URL: only http and https`);
  // Literal addresses never reach the lookup above, so they are checked here.
  const why = refusedHost(url.hostname, publicOnly);
  if (why) throw new OutboundError(`refused ${url.hostname}: ${why}`);
}

/** An agent for clients that bring their own HTTP stack (Slack's WebClient): same address rules. */
export function guardedAgent(url: URL): http.Agent {
  assertCallable(url);
  const opts = { lookup: guardedLookup, keepAlive: false };
  return url.protocol === "https:" ? new https.Agent(opts) : new http.Agent(opts);
}

export interface SafeFetchInit {
  method?: string;
  headers?: Record<string, string> | Headers | [string, string][];
  body?: string | null;
  signal?: AbortSignal | null;
  /** Ignored: redirects are never followed. Present so Octokit's calls type-check. */
  redirect?: RequestRedirect;
  timeoutMs?: number;
  /** Only public addresses, checked at connect time too (a URL a repository chose, in the bot). */
  publicOnly?: boolean;
}

function headerRecord(h: SafeFetchInit["headers"]): Record<string, string> {
  if (!h) return {};
  if (h instanceof Headers) return Object.fromEntries(h.entries());
  if (Array.isArray(h)) return Object.fromEntries(h);
  return { ...h };
}

/** Short, body-free reason for a failed connection: the code, never the peer's words. */
function reason(e: unknown, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `no answer within ${timeoutMs}ms`;
  if (e instanceof OutboundError) return e.message;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if ((e as Error | undefined)?.name === "AbortError") return "aborted";
  return code ? `connection failed (${code})` : "connection failed";
}

/**
 * Kept-alive connections, one pool per scheme. The guarded lookup runs for each new connection, so
 * a reused one was checked when it was opened. An idle socket does not hold the process open (the
 * agent unrefs it) and is closed after IDLE_MS, before servers' usual idle limits (Node's own
 * server closes at 5 s), so a call rarely meets a socket the server is closing.
 */
const IDLE_MS = 4000;
const pool = () => ({
  "http:": new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
  "https:": new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
});
// Public-only calls keep their own pools: an agent reuses a socket by host and port, so one opened
// to a private address for the operator's forge must never carry a repository's webhook.
const agents = pool();
const publicAgents = pool();

/** A kept-alive socket the server closed as we reused it: the request never reached it. */
const STALE = new Set(["ECONNRESET", "EPIPE"]);

/** Requests whose headers and body are not yet all handed to their socket. */
const unwritten = new Set<Promise<void>>();

/** Counts `req` as unwritten until it is written ('finish'), or ends without being written. */
function trackWrite(req: http.ClientRequest): void {
  let settle!: () => void;
  const written = new Promise<void>((resolve) => {
    settle = resolve;
  });
  unwritten.add(written);
  const done = () => {
    unwritten.delete(written);
    settle();
  };
  req.once("finish", done);
  req.once("close", done);
  req.once("error", done);
}

/**
 * Resolves once every request begun so far has been written to its socket (or ended without):
 * the bot holds a deploy's SSH work behind its pending statuses until then (bot/pending-first.ts).
 * Never rejects; requests begun after the call are not waited for.
 */
export function requestsWritten(): Promise<void> {
  if (unwritten.size === 0) return Promise.resolve();
  return Promise.all(unwritten).then(() => undefined);
}

/** fetch() with the guarantees above. Never follows redirects; rejects with OutboundError. */
export function safeFetch(input: string | URL, init: SafeFetchInit = {}): Promise<Response> {
  const timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let url: URL;
  try {
    url = new URL(String(input));
    assertCallable(url, init.publicOnly);
  } catch (e) {
    return Promise.reject(e instanceof OutboundError ? e : new OutboundError("invalid URL"));
  }
  const body = init.body ?? undefined;
  const headers = headerRecord(init.headers);
  if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === "content-length"))
    headers["content-length"] = String(Buffer.byteLength(body));
  const secure = url.protocol === "https:";
  const client = secure ? https : http;
  const agent = (init.publicOnly ? publicAgents : agents)[secure ? "https:" : "http:"];
  const lookup = init.publicOnly ? publicLookup : guardedLookup;

  return new Promise<Response>((resolve, reject) => {
    let timedOut = false;
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      init.signal?.removeEventListener("abort", onAbort);
      reject(new OutboundError(reason(e, timeoutMs, timedOut)));
    };
    let req: http.ClientRequest;
    const send = (retried: boolean) => {
      req = client.request(url, { method: init.method ?? "GET", headers, lookup, agent }, answered);
      trackWrite(req);
      req.on("error", (e) => {
        // Once, on a fresh connection: what Node's docs advise for a reused socket reset under us.
        if (!retried && req.reusedSocket && STALE.has((e as NodeJS.ErrnoException).code ?? "")) send(true);
        else fail(e);
      });
      req.end(body);
    };
    const answered = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let cut = false;
      res.on("data", (c: Buffer) => {
        if (cut) return;
        size += c.length;
        chunks.push(c);
        if (size >= BODY_LIMIT) {
          cut = true;
          res.destroy();
        }
      });
      const done = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        init.signal?.removeEventListener("abort", onAbort);
        const status = res.statusCode ?? 0;
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (v === undefined) continue;
          for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
        }
        // Response() refuses a body on null-body statuses and any status outside 200-599.
        const nullBody = status === 204 || status === 205 || status === 304;
        if (status < 200 || status > 599) return reject(new OutboundError(`unexpected HTTP ${status}`));
        resolve(
          new Response(nullBody ? null : Buffer.concat(chunks), {
            status,
            statusText: res.statusMessage ?? "",
            headers: h,
          }),
        );
      };
      res.on("end", done);
      // Cut at BODY_LIMIT: what we read is enough, answer with it. Any other early close is a failure.
      res.on("close", () => (cut ? done() : fail(new Error("closed"))));
      res.on("error", (e) => (cut ? done() : fail(e)));
    };
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
      fail(undefined);
    }, timeoutMs);
    const onAbort = () => {
      req.destroy();
      fail(Object.assign(new Error("aborted"), { name: "AbortError" }));
    };
    send(false);
    if (init.signal?.aborted) return onAbort();
    init.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Thrown for a non-2xx answer: names the status only, never the body (it may reflect our token). */
export class HttpStatusError extends Error {
  override name = "HttpStatusError";
  constructor(
    readonly status: number,
    what: string,
  ) {
    super(`${what} answered HTTP ${status}`);
  }
}
