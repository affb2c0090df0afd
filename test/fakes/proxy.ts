// A reverse proxy that keeps its routes in a map and records each change, in order, as
// `upsert HOSTNAME -> HOST:PORT` or `remove HOSTNAME`.
import type { Proxy as ProxyPort, Route, RouteNote } from "../../src/ports/proxy.js";

export class FakeProxy implements ProxyPort {
  readonly calls: string[] = [];
  readonly routes = new Map<string, Route>();
  /** Shared with the fake docker and files: one ordered story of the deploy. */
  timeline?: string[];
  /** Awaited after a call is recorded, before it takes effect: observe state or throw. */
  beforeCall?: (call: string) => void | Promise<void>;
  /** What each upsert answers: what it could not settle (nginx's previous workers). */
  note?: RouteNote;

  constructor(readonly driver = "fake") {}

  async upsert(route: Route): Promise<RouteNote | undefined> {
    const line = `upsert ${route.hostname} -> ${route.upstream.host}:${route.upstream.port}`;
    this.calls.push(line);
    this.timeline?.push(`proxy ${line}`);
    await this.beforeCall?.(line);
    this.routes.set(route.hostname, route);
    return this.note;
  }

  async remove(hostname: string): Promise<void> {
    const line = `remove ${hostname}`;
    this.calls.push(line);
    this.timeline?.push(`proxy ${line}`);
    await this.beforeCall?.(line);
    this.routes.delete(hostname);
  }

  async get(hostname: string): Promise<Route | undefined> {
    return this.routes.get(hostname);
  }

  url(route: Route): string {
    return `${route.tls ? "https" : "http"}://${route.hostname}`;
  }
}
