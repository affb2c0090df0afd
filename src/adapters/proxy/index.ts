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

export interface ProxySecrets {
  proxyUser?: string;
  proxyPassword?: string;
  proxyToken?: string;
}

export function makeProxy(config: Config, host: Host, secrets: ProxySecrets): Proxy {
  const p = config.proxy;
  switch (p.driver) {
    case "none":
      return new NoProxy();
    case "caddy":
      return new CaddyProxy(host, { admin: p.admin, server: p.server, tls: p.tls });
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
        { user: secrets.proxyUser, password: secrets.proxyPassword, token: secrets.proxyToken },
      );
  }
}
