// The reverse proxy, as the swap needs it: an upsert that repoints in place (never delete then
// create: that is a gap) and an explicit, separate removal.

export interface Upstream {
  /** Container name on a shared network, or 127.0.0.1 for a published port. */
  host: string;
  port: number;
}

export interface Route {
  /** The route's main name: its identity in the proxy and its URL. */
  hostname: string;
  /** More names routed to the same upstream (workloads.X.domains beyond the first). */
  aliases?: string[];
  upstream: Upstream;
  tls: boolean;
  /**
   * The upstream host is a DNS name for many addresses that change (a Swarm service's tasks): the
   * proxy tries each address, and retries a request that failed before its reply.
   */
  spread?: true;
  /**
   * A load balancer's route: every host's serving container, `upstream` being the first. The
   * proxy spreads requests over them, asks each one `health.path` every `health.interval` and
   * leaves out those that do not answer (src/app/balance.ts).
   */
  upstreams?: Upstream[];
  health?: { path: string; interval: string };
}

/** What an upsert could not settle, or took a while to: the route step journals it. */
export interface RouteNote {
  level: "info" | "warn";
  message: string;
}

export interface Proxy {
  readonly driver: string;
  /**
   * Repoints the route. Returns once the proxy no longer sends new requests to the previous
   * upstream (nginx: once the workers of its previous configuration have exited, bounded), with
   * a note when it could not tell or the bound was hit.
   */
  upsert(route: Route): Promise<RouteNote | undefined | void>;
  remove(hostname: string): Promise<void>;
  get(hostname: string): Promise<Route | undefined>;
  /**
   * Why routes written now would be lost at the proxy's next reload or restart (a Caddy driven by
   * its Caddyfile), or undefined when they would not be, or when the driver cannot tell.
   */
  volatile?(): Promise<string | undefined>;
  /**
   * Why each route change here resets some new connections (a Caddy on a host that does not hand
   * a reload's queued connections to the new socket), or undefined when it does not, or when the
   * driver cannot tell.
   */
  reloadsReset?(): Promise<string | undefined>;
  /** URL users reach the route at; for the none driver, the published address. */
  url(route: Route): string;
}
