// A Docker host as the engine sees it: its engine, its files (where deploy state lives) and an
// HTTP probe to its loopback. One implementation talks to the local machine, the other carries
// all of it over ONE SSH connection.
import type { Docker } from "./docker.js";
import type { Swarm } from "./swarm.js";

export interface HostFiles {
  /** Contents, or undefined when the file does not exist. */
  read(path: string): Promise<string | undefined>;
  /** Write to a temp file then rename over the target: readers see old or new, never half. */
  writeAtomic(path: string, data: string): Promise<void>;
  /** Create only if absent (O_EXCL); false when it already exists. The lock is built on this. */
  createExclusive(path: string, data: string): Promise<boolean>;
  append(path: string, data: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Entry names in a directory; empty when it does not exist. */
  list(dir: string): Promise<string[]>;
  mkdirp(dir: string): Promise<void>;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HttpResult {
  status: number;
  body: string;
}

/** One HTTP/1.1 request to a port on the host's loopback (a proxy's admin API, a health probe). */
export interface HttpRequest {
  method: string;
  /** Path and query, e.g. `/id/tinyforge-web` or `/api/nginx/proxy-hosts?query=x`. */
  path: string;
  /** `host` defaults to `127.0.0.1:PORT`; header names are case-insensitive. */
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse extends HttpResult {
  /** Headers and trailers, lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
}

export interface Host {
  /** "local" or "user@host:port", for messages and events. */
  readonly name: string;
  /** Hostname to reach published ports from outside (for URLs when there is no proxy). */
  readonly address: string;
  readonly docker: Docker;
  /** Present when the host is a Swarm manager (`swarm+ssh://`): workloads are services. */
  readonly swarm?: Swarm;
  readonly files: HostFiles;
  /** Runs argv on the host; each argument is quoted by one function, never joined raw. */
  exec(argv: string[], opts?: { stdin?: string }): Promise<ExecResult>;
  /** GET http://127.0.0.1:PORT/PATH as seen from the host (through the tunnel when remote). */
  httpGet(port: number, path: string, timeoutMs: number, hostHeader?: string): Promise<HttpResult>;
  /**
   * Any HTTP request to 127.0.0.1:PORT as seen from the host: a proxy's admin API is reached
   * through the deploy's one SSH connection, never from the runner directly.
   */
  httpRequest(port: number, req: HttpRequest): Promise<HttpResponse>;
  /**
   * After the connection was lost (calls rejected with connection_lost): connect again, bounded
   * like the first connect, so this same Host works again. Absent where nothing can be lost.
   */
  reconnect?(): Promise<void>;
  close(): Promise<void>;
}
