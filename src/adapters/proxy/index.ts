// Picks the proxy driver named by proxy.driver. Every driver reaches its proxy on the host: admin
// APIs through host.httpRequest (the deploy's SSH connection), nginx's files and commands through
// host.files and host.exec.
import type { Config } from "../../config/schema.js";
import type { Host } from "../../ports/host.js";
import type { Proxy } from "../../ports/proxy.js";
import { CaddyProxy } from "./caddy.js";
import { NginxProxy } from "./nginx.js";
import { NoProxy } from "./none.js";
import { NpmProxy } from "./npm.js";
import { npmCredentialsProblem } from "./npm-client.js";

export interface ProxySecrets {
  proxyUser?: string;
  proxyPassword?: string;
  proxyToken?: string;
}

/**
 * Throws the usage error makeProxy would, from the config and secrets alone: an entry point calls
 * it before opening any host, so missing credentials are exit 2 with nothing touched.
 */
export function checkProxySecrets(config: Config, secrets: ProxySecrets): void {
  if (config.proxy.driver !== "npm") return;
  const problem = npmCredentialsProblem(npmCredentials(secrets));
  if (problem) throw problem;
}

function npmCredentials(s: ProxySecrets) {
  return { user: s.proxyUser, password: s.proxyPassword, token: s.proxyToken };
}

export function makeProxy(config: Config, host: Host, secrets: ProxySecrets): Proxy {
  return proxyFor(config.proxy, host, secrets);
}

/** The proxy a `proxy:` section names (the configured one, or one a route was recorded on). */
export function proxyFor(p: Config["proxy"], host: Host, secrets: ProxySecrets): Proxy {
  switch (p.driver) {
    case "none":
      return new NoProxy();
    case "caddy":
      return new CaddyProxy(host, { admin: p.admin, server: p.server, caddyfile: p.caddyfile, tls: p.tls });
    case "nginx":
      return new NginxProxy(host, {
        configDir: p.config_dir,
        command: p.command,
        listen: p.listen,
        tls: p.tls,
      });
    case "npm":
      return new NpmProxy(
        host,
        {
          admin: p.admin,
          tls: p.tls,
          options: {
            forwardScheme: p.forward_scheme,
            certificateId: p.certificate_id,
            sslForced: p.ssl_forced,
            http2Support: p.http2_support,
            blockExploits: p.block_exploits,
            allowWebsocketUpgrade: p.allow_websocket_upgrade,
          },
        },
        npmCredentials(secrets),
      );
  }
}
