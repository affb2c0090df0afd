// proxy: none. Nothing to repoint: each container is reached at its published address, so the
// deploy's URL is that address and changes with every blue-green swap.
import type { Proxy, Route } from "../../ports/proxy.js";

export class NoProxy implements Proxy {
  readonly driver = "none";

  async upsert(_route: Route): Promise<void> {}

  async remove(_hostname: string): Promise<void> {}

  async get(_hostname: string): Promise<Route | undefined> {
    return undefined;
  }

  url(route: Route): string {
    return `http://${route.upstream.host}:${route.upstream.port}`;
  }
}
