// Where the proxy sends a hostname's traffic. With a shared Docker network the proxy reaches the
// container by name (the green's unique name, so the swap is a real repoint); otherwise the port
// published on the host's loopback.
import type { Route } from "../ports/proxy.js";

export function routeFor(v: {
  hostname: string;
  aliases?: string[];
  container: string;
  network?: string;
  appPort?: number;
  hostPort?: number;
  publishAddress: string;
  tls: boolean;
}): Route | undefined {
  const names = { hostname: v.hostname, ...(v.aliases?.length ? { aliases: v.aliases } : {}) };
  if (v.network && v.appPort !== undefined) {
    return { ...names, upstream: { host: v.container, port: v.appPort }, tls: v.tls };
  }
  if (v.hostPort === undefined) return undefined;
  return { ...names, upstream: { host: v.publishAddress, port: v.hostPort }, tls: v.tls };
}
