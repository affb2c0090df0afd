// A route as an nginx server block, and back. Pure: the exact text is asserted in unit tests.
// Each block answers its own revision on a reserved path, so the driver can see through nginx
// that a reload took effect (`nginx -s reload` only sends a signal and returns at once).
import { createHash } from "node:crypto";
import type { Route } from "../../ports/proxy.js";
import { parseHostPort, routeNames, withNames } from "./check.js";

export const ROUTE_PROBE_PATH = "/.well-known/tinyforge-route";
/** The probe's answer names the nginx worker that gave it ($pid). */
export const WORKER_HEADER = "x-tinyforge-worker";

export function defaultListen(tls: boolean): string {
  return tls ? "443 ssl" : "80";
}

export interface ServerBlock {
  text: string;
  /** Short hash of what the block routes; the probe path answers it. */
  revision: string;
}

/** The upstream group of a load balancer's route: one per hostname, a name nginx accepts. */
export function upstreamName(hostname: string): string {
  return `tinyforge_${hostname.replace(/[.-]/g, "_")}`;
}

/**
 * A load balancer's hosts as an nginx upstream group. nginx (open source) has no active checks:
 * a host whose connection fails is left out for 10 s (max_fails/fail_timeout) and the request is
 * tried on the next host (proxy_next_upstream), so a dead host costs one connect timeout at most.
 */
function upstreamGroup(route: Route): string {
  const servers = (route.upstreams ?? [])
    .map((u) => `    server ${u.host}:${u.port} max_fails=1 fail_timeout=10s;\n`)
    .join("");
  return `upstream ${upstreamName(route.hostname)} {\n${servers}}\n\n`;
}

const BALANCED = `
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_timeout 5s;
        proxy_connect_timeout 2s;`;

export function nginxServerBlock(route: Route, listen: string): ServerBlock {
  const balanced = route.upstreams !== undefined;
  const target = balanced ? upstreamName(route.hostname) : `${route.upstream.host}:${route.upstream.port}`;
  const servers = (route.upstreams ?? []).map((u) => `${u.host}:${u.port}`);
  const names = routeNames(route).join(" ");
  const revision = createHash("sha256")
    .update(JSON.stringify([names, target, listen, ...servers]))
    .digest("hex")
    .slice(0, 12);
  const text = `# Managed by tinyforge: rewritten on every deploy of ${route.hostname}, removed with it. Do not edit.
${balanced ? upstreamGroup(route) : ""}server {
    listen ${listen};
    server_name ${names};

    # The block's revision: a deploy reads it back through nginx to know the reload took effect,
    # and which worker answered, to wait for the workers of the previous configuration to exit.
    location = ${ROUTE_PROBE_PATH} {
        access_log off;
        default_type text/plain;
        add_header X-Tinyforge-Worker $pid;
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
        proxy_set_header Connection $http_connection;${balanced ? BALANCED : ""}
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
  const upstreams =
    pass === upstreamName(hostname)
      ? [...text.matchAll(/^\s*server\s+([^;\s]+)[^;]*;/gm)].flatMap((m) => parseHostPort(m[1]!) ?? [])
      : undefined;
  const upstream = upstreams ? upstreams[0] : pass ? parseHostPort(pass) : undefined;
  if (names[0] !== hostname || !upstream || listen === undefined) return undefined;
  return withNames(names, { upstream, tls: /\bssl\b/.test(listen), ...(upstreams ? { upstreams } : {}) });
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
