// A Host whose engine is a FakeDocker and whose files are real files under a fresh temp home, so
// the Store, the lock and the journal run their real code. httpGet answers like the app in the
// container published on that port would.
import { mkdtempSync, rmSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { LocalFiles } from "../../src/adapters/local-files.js";
import type { Clock } from "../../src/ports/clock.js";
import type { ExecResult, Host, HttpRequest, HttpResponse, HttpResult } from "../../src/ports/host.js";
import { FakeClock } from "./clock.js";
import { FakeDocker } from "./docker.js";
import { FakeFiles } from "./files.js";

export class FakeHost implements Host {
  readonly name: string;
  readonly address = "127.0.0.1";
  readonly docker: FakeDocker;
  /** The temp directory relative paths (state_dir) live under. */
  readonly home: string;
  readonly local: LocalFiles;
  /** What the engine uses: the real files, recorded, failing on demand. */
  readonly files: FakeFiles;
  /** `GET PORT PATH` for every probe, in order. */
  readonly probes: string[] = [];
  readonly execs: string[][] = [];
  onExec = (_argv: string[]): ExecResult => ({ code: 0, stdout: "", stderr: "" });
  /** Every httpRequest, in order, with its port. */
  readonly requests: Array<{ port: number } & HttpRequest> = [];
  /** Answers httpRequest (a proxy's admin API); by default nothing listens. */
  onHttp = async (port: number, _req: HttpRequest): Promise<HttpResponse> => {
    throw Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: "ECONNREFUSED" });
  };
  closed = false;

  constructor(opts: { name?: string; clock?: Clock; docker?: FakeDocker } = {}) {
    this.name = opts.name ?? "fake";
    this.docker = opts.docker ?? new FakeDocker(opts.clock ?? new FakeClock());
    this.home = mkdtempSync(join(tmpdir(), "tinyforge-fakehost-"));
    this.local = new LocalFiles(this.home);
    this.files = new FakeFiles(this.local);
  }

  async exec(argv: string[]): Promise<ExecResult> {
    this.execs.push(argv);
    return this.onExec(argv);
  }

  async httpGet(port: number, path: string, _timeoutMs: number, _hostHeader?: string): Promise<HttpResult> {
    this.probes.push(`GET ${port} ${path}`);
    const target = this.docker.listening(port);
    if (target?.behaviour === "healthy") return { status: 200, body: "ok" };
    if (target?.behaviour === "unhealthy") return { status: 500, body: "database unavailable" };
    // Nothing published there, or a process that never got to listen.
    throw Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: "ECONNREFUSED" });
  }

  async httpRequest(port: number, req: HttpRequest): Promise<HttpResponse> {
    this.requests.push({ port, ...req });
    return this.onHttp(port, req);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Every file under the home, by path relative to it: for "this value is nowhere on disk". */
  async dump(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const e of await readdir(this.home, { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue;
      const abs = join(e.parentPath, e.name);
      out.set(relative(this.home, abs), await readFile(abs, "utf8"));
    }
    return out;
  }

  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
