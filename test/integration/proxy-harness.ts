// Shared by the proxy integration tests: the testbed's Caddy and nginx (scripts/testbed.sh), a
// request through a proxy with the route's Host header, and a Host over the real sshd for driving
// a driver directly.
import { readFileSync } from "node:fs";
import http from "node:http";
import { openHost } from "../../src/adapters/open-host.js";
import type { Host } from "../../src/ports/host.js";
import { type App, fastHealth, parseJsonLines, sshHost, tb } from "./harness.js";

export interface ProxyTestbed {
  caddy: { admin: string; adminPort: number; server: string; port: number };
  nginx: { configDir: string; command: string[]; listen: string; port: number; errorLog: string };
}

export const ptb = tb as typeof tb & ProxyTestbed;
if (!ptb.caddy || !ptb.nginx) {
  throw new Error(".testbed/env.json has no caddy/nginx: run npm run testbed (scripts/testbed.sh up) again");
}

export const DOMAIN = "tf.test";

/** GET through a proxy listening on 127.0.0.1:port, as a client of HOSTNAME would. */
export function viaProxy(
  port: number,
  hostname: string,
  path = "/",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        agent: false,
        headers: { host: hostname, connection: "close" },
        timeout: 5000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 5 s")));
    req.on("error", reject);
    req.end();
  });
}

/** The testbed's sshd as the engine reaches it: one SSH connection. */
export function openTestHost(): Promise<Host> {
  return openHost(sshHost, {
    sshKey: readFileSync(tb.sshKeyFile, "utf8"),
    knownHosts: readFileSync(tb.knownHostsFile, "utf8"),
  });
}

/** The web image in its local copies: v1, v2, unhealthy (GET /healthz → 404). */
export function webWorkload(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: "image",
    image: "tinyforge/web:{ref}",
    pull: "missing",
    port: 8080,
    deploy_strategy: "blue-green",
    healthcheck: fastHealth,
    drain: "200ms",
    stop_timeout: "1s",
    ...extra,
  };
}

export async function deployRef(
  app: App,
  ref: string,
  sha: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stderr: string; result: Record<string, unknown> }> {
  const r = await app.cli(
    ["deploy", "web", "--stage", "production", "--sha", sha, "--ref", ref, "--json"],
    env,
  );
  const result = parseJsonLines(r.stdout)[0];
  if (!result) throw new Error(`deploy ${ref} printed no result (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, stderr: r.stderr, result };
}

/** The route's hostname as the deploy reports it in its URL. */
export function hostnameOf(result: Record<string, unknown>): string {
  return new URL(result.url as string).hostname;
}
