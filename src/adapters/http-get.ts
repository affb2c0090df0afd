// One HTTP request with a hard timeout, over whatever stream the caller opens (a TCP socket locally,
// an SSH channel to a remote host's loopback). The health gate GETs through it; proxy drivers talk
// to an admin API (Caddy's :2019, Nginx Proxy Manager's :81) through it.
import http from "node:http";
import type { Duplex } from "node:stream";
import type { HttpRequest, HttpResponse, HttpResult } from "../ports/host.js";

// A health probe only needs the start of a body: keep it, drop the rest.
const PROBE_BODY_LIMIT = 64 * 1024;
// An admin API answer is parsed whole: a cut one would be a parse error, so over this is an error.
const API_BODY_LIMIT = 16 * 1024 * 1024;

export type Opener = (() => Promise<Duplex>) | undefined;

function lowerCaseHeaders(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/** Headers and trailers (Caddy sends its config ETag as a trailer), lower-case names. */
function responseHeaders(res: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  for (const [k, v] of Object.entries(res.trailers)) {
    if (v !== undefined) out[k.toLowerCase()] = v;
  }
  return out;
}

function send(open: Opener, port: number, r: HttpRequest, truncate: boolean): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    let done = false;
    let req: http.ClientRequest | undefined;
    const finish = (err: Error | undefined, res?: HttpResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(res!);
    };
    const timer = setTimeout(() => {
      finish(new Error(`no answer within ${r.timeoutMs}ms`));
      req?.destroy();
    }, r.timeoutMs);
    const headers = {
      host: `127.0.0.1:${port}`,
      // One connection (one SSH channel) per request: opening one is cheap, and nothing sits in a
      // pool after the far end closed it.
      connection: "close",
      "user-agent": "tinyforge",
      ...lowerCaseHeaders(r.headers),
      ...(r.body !== undefined ? { "content-length": String(Buffer.byteLength(r.body)) } : {}),
    };
    const start = (socket?: Duplex) => {
      try {
        request(socket);
      } catch (e) {
        // http.request throws synchronously on a path it cannot send (a space, CR/LF): inside the
        // open() callback that throw would escape every handler, so it becomes this call's failure.
        socket?.destroy();
        finish(e as Error);
      }
    };
    const request = (socket?: Duplex) => {
      req = http.request(
        {
          host: "127.0.0.1",
          port,
          path: r.path,
          method: r.method,
          headers,
          // Through the opened stream only: with an agent (even \`agent: false\`, a fresh one) Node
          // ignores createConnection and dials host:port itself, from this machine; the tunnel
          // would sit unused and open, holding a connection on the far side (an nginx worker).
          ...(socket ? { createConnection: () => socket as never } : { agent: false }),
        },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            if (truncate) {
              if (body.length < PROBE_BODY_LIMIT) body += chunk;
              return;
            }
            body += chunk;
            if (body.length > API_BODY_LIMIT) {
              finish(new Error(`${r.method} ${r.path}: answer larger than ${API_BODY_LIMIT} bytes`));
              res.destroy();
            }
          });
          res.on("end", () =>
            finish(undefined, { status: res.statusCode ?? 0, headers: responseHeaders(res), body }),
          );
          res.on("error", (e) => finish(e));
          // The tunnel closed mid-answer: no "end" will come.
          res.on("close", () => finish(new Error(`${r.method} ${r.path}: the connection closed mid-answer`)));
        },
      );
      req.on("error", (e) => finish(e));
      req.end(r.body);
    };
    if (!open) {
      start();
      return;
    }
    open().then(
      (socket) => {
        if (done) {
          socket.destroy();
          return;
        }
        start(socket);
      },
      (e: Error) => finish(e),
    );
  });
}

/** Any request; the whole answer is read (up to 16 MiB). */
export function httpRequest(open: Opener, port: number, r: HttpRequest): Promise<HttpResponse> {
  return send(open, port, r, false);
}

/** The health gate's GET: only the first 64 KiB of the body are kept. */
export async function httpGet(
  open: Opener,
  port: number,
  path: string,
  timeoutMs: number,
  hostHeader?: string,
): Promise<HttpResult> {
  const res = await send(
    open,
    port,
    {
      method: "GET",
      path,
      timeoutMs,
      headers: { "user-agent": "tinyforge-gate", ...(hostHeader ? { host: hostHeader } : {}) },
    },
    true,
  );
  return { status: res.status, body: res.body };
}
