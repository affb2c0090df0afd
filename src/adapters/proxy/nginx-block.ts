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

/**
 * The upstream group of a route: one per hostname, a name nginx accepts. Every route has one, so
 * the name must tell any two hostnames apart ("a-b.x" and "a.b-x" read the same once "." and "-"
 * are "_"): a short hash of the hostname follows.
 */
export function upstreamName(hostname: string): string {
  const id = createHash("sha256").update(hostname).digest("hex").slice(0, 8);
  return `${legacyUpstreamName(hostname)}_${id}`;
}

/** The name a load balancer's group had before every route had one (read back, never written). */
function legacyUpstreamName(hostname: string): string {
  return `tinyforge_${hostname.replace(/[.-]/g, "_")}`;
}

/**
 * Idle connections each worker keeps open to the upstream, and for how long. Without them nginx
 * opens a connection per request and closes it itself; through Docker's port publishing
 * (docker-proxy) each close leaves a TIME_WAIT socket from the host to the container for 60 s, and
 * past about 28 000 of them (the host's ephemeral ports, at ~470 requests/s) docker-proxy can no
 * longer connect and resets what nginx sent: 502, "104: Connection reset by peer". A new container
 * may get a removed one's address, and the TIME_WAITs towards it with it.
 * nginx reuses the connection freed last, so under load the cap is rarely reached and the rest
 * time out: the timeout stays under the apps' own idle timeouts (Node 5 s, gunicorn 2 s), so nginx
 * closes an idle connection before the app can close it under a request just sent on it.
 */
const KEEPALIVE = `    keepalive 256;
    keepalive_timeout 1s;
`;

/**
 * The Connection header to the upstream: "upgrade" for a WebSocket, else none, so the connection
 * stays open for the next request whatever the client asked of its own. The same map in every
 * route's file (nginx accepts a map defined again): each file stands on its own.
 */
const CONNECTION_MAP = `map $http_upgrade $tinyforge_connection {
    default upgrade;
    ""      "";
}

`;

/**
 * The route's upstream group. One server for a route to one container; for a load balancer every
 * host. nginx (open source) has no active checks: a host whose connection fails is left out for
 * 10 s (max_fails/fail_timeout) and the request is tried on the next host (proxy_next_upstream), so
 * a dead host costs one connect timeout at most.
 */
function upstreamGroup(route: Route): string {
  const servers = route.upstreams
    ? route.upstreams.map((u) => `    server ${u.host}:${u.port} max_fails=1 fail_timeout=10s;\n`).join("")
    : `    server ${route.upstream.host}:${route.upstream.port};\n`;
  return `upstream ${upstreamName(route.hostname)} {\n${servers}${KEEPALIVE}}\n\n`;
}

const BALANCED = `
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_timeout 5s;
        proxy_connect_timeout 2s;`;

/**
 * The route as a server block with its upstream group (HTTP/1.1, kept open) and the Connection
 * header's map.
 */
export function nginxServerBlock(route: Route, listen: string): ServerBlock {
  const balanced = route.upstreams !== undefined;
  const servers = (route.upstreams ?? [route.upstream]).map((u) => `${u.host}:${u.port}`);
  const names = routeNames(route).join(" ");
  const revision = createHash("sha256")
    .update(JSON.stringify([names, balanced, listen, ...servers]))
    .digest("hex")
    .slice(0, 12);
  const text = `# Managed by tinyforge: rewritten on every deploy of ${route.hostname}, removed with it. Do not edit.
${CONNECTION_MAP}${upstreamGroup(route)}server {
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
        proxy_pass http://${upstreamName(route.hostname)};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $tinyforge_connection;${balanced ? BALANCED : ""}
    }
}
`;
  return { text, revision };
}

/**
 * Reads back a block this driver wrote (or an earlier version of it, which named the container in
 * proxy_pass); undefined when the text is not one of ours. A load balancer's block is the one that
 * retries on the next host.
 */
export function routeFromNginx(hostname: string, text: string): Route | undefined {
  const names = /^\s*server_name\s+([^;]+);/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const pass = /^\s*proxy_pass\s+http:\/\/([^;\s/]+);/m.exec(text)?.[1];
  const listen = /^\s*listen\s+([^;]+);/m.exec(text)?.[1];
  const servers =
    pass === upstreamName(hostname) || pass === legacyUpstreamName(hostname)
      ? [...text.matchAll(/^\s*server\s+([^;\s]+)[^;]*;/gm)].flatMap((m) => parseHostPort(m[1]!) ?? [])
      : undefined;
  const upstreams = servers && /^\s*proxy_next_upstream\s/m.test(text) ? servers : undefined;
  const upstream = servers ? servers[0] : pass ? parseHostPort(pass) : undefined;
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
