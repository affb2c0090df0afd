// Picks the proxy driver named by proxy.driver.
import type { Config } from "../../config/schema.js";
import { TinyforgeError } from "../../errors.js";
import type { Host } from "../../ports/host.js";
import type { Proxy } from "../../ports/proxy.js";
import { NoProxy } from "./none.js";

export interface ProxySecrets {
  proxyUser?: string;
  proxyPassword?: string;
  proxyToken?: string;
}

export function makeProxy(config: Config, _host: Host, _secrets: ProxySecrets): Proxy {
  if (config.proxy.driver === "none") return new NoProxy();
  throw new TinyforgeError(
    "usage",
    `proxy.driver "${config.proxy.driver}" is not available in this version yet`,
    {
      hint: "use proxy: { driver: none } (containers are reached at their published port)",
    },
  );
}
