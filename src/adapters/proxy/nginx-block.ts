// A route as an nginx server block, and back. Pure: the exact text is asserted in unit tests.
// Each block answers its own revision on a reserved path, so the driver can see through nginx
// that a reload took effect (`nginx -s reload` only sends a signal and returns at once).
import { createHash } from "node:crypto";
import type { Route } from "../../ports/proxy.js";
import { parseHostPort, routeNames, withNames } from "./check.js";

export const ROUTE_PROBE_PATH = "/.well-known/tinyforge-route";

export function defaultListen(tls: boolean): string {
  return tls ? "443 ssl" : "80";
}

export interface ServerBlock {
  text: string;
  /** Short hash of what the block routes; the probe path answers it. */
  revision: string;
}

export function nginxServerBlock(route: Route, listen: string): ServerBlock {
  const target = `${route.upstream.host}:${route.upstream.port}`;
  const names = routeNames(route).join(" ");
  const revision = createHash("sha256")
    .update(JSON.stringify([names, target, listen]))
    .digest("hex")
    .slice(0, 12);
  const text = `# Managed by tinyforge: rewritten on every deploy of ${route.hostname}, removed with it. Do not edit.
server {
    listen ${listen};
    server_name ${names};

    # The block's revision: a deploy reads it back through nginx to know the reload took effect.
    location = ${ROUTE_PROBE_PATH} {
        access_log off;
        default_type text/plain;
        return 200 "${revision}\\n";
    }

    location / {
        proxy_pass http://${target};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $http_connection;
    }
}
`;
  return { text, revision };
}

/** Reads back a block this driver wrote; undefined when the text is not one of ours. */
export function routeFromNginx(hostname: string, text: string): Route | undefined {
  const names = /^\s*server_name\s+([^;]+);/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const pass = /^\s*proxy_pass\s+http:\/\/([^;\s/]+);/m.exec(text)?.[1];
  const listen = /^\s*listen\s+([^;]+);/m.exec(text)?.[1];
  const upstream = pass ? parseHostPort(pass) : undefined;
  if (names[0] !== hostname || !upstream || listen === undefined) return undefined;
  return withNames(names, { upstream, tls: /\bssl\b/.test(listen) });
}

/**
 * The loopback port a block with these listen parameters answers on, or undefined when a request
 * to 127.0.0.1 would not reach it (another address, a unix socket, TLS).
 */
export function probePort(listen: string): number | undefined {
  const [addr, ...params] = listen.trim().split(/\s+/);
  if (!addr || params.includes("ssl")) return undefined;
  const m = /^(?:(127\.0\.0\.1|localhost|\*|0\.0\.0\.0|\[::\]):)?(\d{1,5})$/.exec(addr);
  return m ? Number(m[2]) : undefined;
}
