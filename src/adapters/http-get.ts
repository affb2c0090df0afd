// One HTTP GET with a hard timeout, over whatever stream the caller opens (a TCP socket locally,
// an SSH channel to a remote host's loopback). Used by the health gate.
import http from "node:http";
import type { Duplex } from "node:stream";
import type { HttpResult } from "../ports/host.js";

const BODY_LIMIT = 64 * 1024;

export function httpGet(
  open: (() => Promise<Duplex>) | undefined,
  port: number,
  path: string,
  timeoutMs: number,
  hostHeader?: string,
): Promise<HttpResult> {
  return new Promise<HttpResult>((resolve, reject) => {
    let done = false;
    const finish = (err: Error | undefined, res?: HttpResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(res!);
    };
    const timer = setTimeout(() => {
      finish(new Error(`no answer within ${timeoutMs}ms`));
      req.destroy();
    }, timeoutMs);
    const start = (socket?: Duplex) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          path,
          method: "GET",
          agent: false,
          headers: {
            host: hostHeader ?? `127.0.0.1:${port}`,
            connection: "close",
            "user-agent": "tinyforge-gate",
          },
          ...(socket ? { createConnection: () => socket as never } : {}),
        },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            if (body.length < BODY_LIMIT) body += chunk;
          });
          res.on("end", () => finish(undefined, { status: res.statusCode ?? 0, body }));
          res.on("error", (e) => finish(e));
        },
      );
      req.on("error", (e) => finish(e));
      req.end();
      return req;
    };
    let req: http.ClientRequest = undefined as never;
    if (!open) {
      req = start();
      return;
    }
    open().then(
      (socket) => {
        if (done) {
          socket.destroy();
          return;
        }
        req = start(socket);
      },
      (e: Error) => finish(e),
    );
  });
}
