// The nginx driver over a FakeHost: real files under a temp home, and an "nginx" that tests the
// files on disk, loads them on reload and answers the probe path from what it loaded.
import { afterEach, describe, expect, it } from "vitest";
import { NginxProxy } from "../../../../src/adapters/proxy/nginx.js";
import { nginxServerBlock, ROUTE_PROBE_PATH } from "../../../../src/adapters/proxy/nginx-block.js";
import { PS_ARGV } from "../../../../src/adapters/proxy/nginx-workers.js";
import type { ExecResult, HttpRequest, HttpResponse } from "../../../../src/ports/host.js";
import { FakeHost } from "../../../fakes/host.js";

const DIR = "nginx/tinyforge";
const CMD = ["nginx", "-p", "/srv/nginx", "-c", "/srv/nginx/nginx.conf"];
const HOSTNAME = "stage-production-shop.example.com";
const FILE = `${DIR}/${HOSTNAME}.conf`;
const route = (port: number) => ({ hostname: HOSTNAME, upstream: { host: "127.0.0.1", port }, tls: false });

class Nginx {
  /** What the running nginx serves: file text by hostname. */
  loaded = new Map<string, string>();
  /** `nginx -t` fails while this returns a message for the files on disk. */
  reject?: (texts: string[]) => string | undefined;
  reloadFails = false;
  /** Reloads take effect (false: e.g. the directory is not included from nginx.conf). */
  includes = true;
  /** After a reload, this many probes alternate between the old workers and the new ones. */
  overlap = 0;
  private overlapLeft = 0;
  private previous = new Map<string, string>();
  /** Probes answered by a worker of the previous generation. */
  oldAnswers = 0;
  /** The master's PID and its workers' (generation by generation), as `ps` lists them. */
  master = 500;
  workers = [501, 502];
  shuttingDown: number[] = [];
  /** After a reload the old workers stay for this many `ps` listings (they finish what they hold). */
  linger = 0;
  private lingerLeft = 0;
  /** Without `ps` on the host (or nginx in another PID namespace). */
  ps = true;

  constructor(private readonly host: FakeHost) {}

  private async disk(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const f of await this.host.files.list(DIR)) {
      if (!f.endsWith(".conf")) continue;
      out.set(f.slice(0, -".conf".length), (await this.host.files.read(`${DIR}/${f}`))!);
    }
    return out;
  }

  async exec(argv: string[]): Promise<ExecResult> {
    const args = argv.slice(CMD.length).join(" ");
    if (args === "-t") {
      const problem = this.reject?.([...(await this.disk()).values()]);
      return problem
        ? {
            code: 1,
            stdout: "",
            stderr: `nginx: [emerg] ${problem}\nnginx: configuration file test failed\n`,
          }
        : {
            code: 0,
            stdout: "",
            stderr: "nginx: the configuration file syntax is ok\nnginx: test is successful\n",
          };
    }
    if (argv.join(" ") === PS_ARGV.join(" ")) {
      if (!this.ps) return { code: 127, stdout: "", stderr: "ps: not found\n" };
      if (this.lingerLeft > 0 && --this.lingerLeft === 0) this.shuttingDown = [];
      const line = (pid: number, ppid: number, args: string) => `${pid} ${ppid} ${args}\n`;
      return {
        code: 0,
        stdout:
          line(1, 0, "/sbin/init") +
          line(this.master, 1, "nginx: master process nginx") +
          this.shuttingDown
            .map((p) => line(p, this.master, "nginx: worker process is shutting down"))
            .join("") +
          this.workers.map((p) => line(p, this.master, "nginx: worker process")).join("") +
          // Another nginx on the host (its own master): never waited for.
          line(900, 1, "nginx: master process nginx -c /other.conf") +
          line(901, 900, "nginx: worker process"),
        stderr: "",
      };
    }
    if (args === "-s reload") {
      if (this.reloadFails)
        return { code: 1, stdout: "", stderr: 'nginx: [error] invalid PID number "" in "/run/nginx.pid"\n' };
      this.shuttingDown = this.linger > 0 ? this.workers : [];
      this.lingerLeft = this.linger;
      this.workers = this.workers.map((p) => p + 10);
      if (this.includes) {
        this.previous = this.loaded;
        this.loaded = await this.disk();
        this.overlapLeft = this.overlap;
      }
      return { code: 0, stdout: "", stderr: "" };
    }
    return { code: 127, stdout: "", stderr: "unknown" };
  }

  async http(port: number, req: HttpRequest): Promise<HttpResponse> {
    // Old and new workers both accept until the master tells the old ones to stop.
    const old = this.overlapLeft > 0 && this.overlapLeft-- % 2 === 0;
    if (old) this.oldAnswers++;
    const text = (old ? this.previous : this.loaded).get(req.headers?.host ?? "");
    const revision = text && /return 200 "([0-9a-f]+)\\n"/.exec(text)?.[1];
    if (port !== 8080 || req.path !== ROUTE_PROBE_PATH || !revision)
      return { status: 404, headers: {}, body: "" };
    return { status: 200, headers: { "x-tinyforge-worker": String(this.workers[0]) }, body: `${revision}\n` };
  }
}

let host: FakeHost;
let nginx: Nginx;
function setup(settleMs = 10_000, stableMs = 60) {
  host = new FakeHost();
  nginx = new Nginx(host);
  host.onExec = () => {
    throw new Error("use the async handler");
  };
  host.exec = async (argv: string[]) => {
    host.execs.push(argv);
    return nginx.exec(argv);
  };
  host.onHttp = (port, req) => nginx.http(port, req);
  return new NginxProxy(host, {
    configDir: DIR,
    command: CMD,
    listen: "127.0.0.1:8080",
    tls: false,
    settleMs,
    stableMs,
  });
}
function setupArgs(more: { oldWorkersMs?: number } = {}): ConstructorParameters<typeof NginxProxy> {
  setup();
  return [
    host,
    { configDir: DIR, command: CMD, listen: "127.0.0.1:8080", tls: false, stableMs: 60, ...more },
  ];
}
afterEach(() => host?.dispose());

describe("nginx upsert", () => {
  it("writes the server block, tests, reloads, and sees the new revision served", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    const block = nginxServerBlock(route(40001), "127.0.0.1:8080");
    expect(await host.files.read(FILE)).toBe(block.text);
    expect(host.execs).toEqual([PS_ARGV, [...CMD, "-t"], [...CMD, "-s", "reload"]]);
    expect(host.requests.at(-1)).toMatchObject({
      port: 8080,
      method: "GET",
      path: ROUTE_PROBE_PATH,
      headers: { host: HOSTNAME },
    });
    expect(nginx.loaded.get(HOSTNAME)).toBe(block.text);
  });

  it("waits until no worker of the previous generation answers: a first answer is not enough", async () => {
    const proxy = setup();
    nginx.overlap = 6; // old, new, old, new, old, new, then only new
    const t0 = Date.now();
    await proxy.upsert(route(40001));
    expect(nginx.oldAnswers).toBe(3);
    // Served means: every probe answered the new revision for stableMs (60 ms here).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(60);
    const probes = host.requests.filter((r) => r.path === ROUTE_PROBE_PATH);
    expect(probes.length).toBeGreaterThan(6);
  });

  it("is idempotent: the same route again runs no nginx command at all", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    host.execs.length = 0;
    await proxy.upsert(route(40001));
    expect(host.execs).toEqual([]);
    expect(await host.files.list(DIR)).toEqual([`${HOSTNAME}.conf`]);
  });

  it("a failed nginx -t puts the previous file back, never reloads, and fails with nginx's words", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    const before = await host.files.read(FILE);
    host.execs.length = 0;
    nginx.reject = (texts) =>
      texts.some((t) => t.includes(":40002;")) ? 'host not found in upstream "x"' : undefined;
    await expect(proxy.upsert(route(40002))).rejects.toMatchObject({
      code: "deploy_failed",
      message: `nginx -t rejected the server block for ${HOSTNAME} (exit 1: nginx: [emerg] host not found in upstream "x" | nginx: configuration file test failed)`,
    });
    expect(host.execs).toEqual([PS_ARGV, [...CMD, "-t"]]);
    expect(await host.files.read(FILE)).toBe(before);
    expect(nginx.loaded.get(HOSTNAME)).toBe(before);
  });

  it("a restore that fails too is said, so nobody trusts the files on disk", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    nginx.reject = () => "bad";
    let writes = 0;
    host.files.failWrite = () => (++writes === 2 ? new Error("SFTP channel closed") : undefined);
    await expect(proxy.upsert(route(40002))).rejects.toMatchObject({
      message: expect.stringContaining(
        `; putting the previous ${FILE} back failed too (SFTP channel closed): check it by hand`,
      ),
    });
  });

  it("a failed nginx -t on a new route removes the new file", async () => {
    const proxy = setup();
    nginx.reject = () => "unexpected end of file";
    await expect(proxy.upsert(route(40001))).rejects.toMatchObject({ code: "deploy_failed" });
    expect(await host.files.list(DIR)).toEqual([]);
  });

  it("a failed reload puts the previous file back", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    const before = await host.files.read(FILE);
    nginx.reloadFails = true;
    await expect(proxy.upsert(route(40002))).rejects.toMatchObject({
      message: expect.stringContaining("nginx -s reload failed"),
      hint: expect.stringContaining("proxy.command"),
    });
    expect(await host.files.read(FILE)).toBe(before);
  });

  it("a reload that never shows (directory not included) fails, restores, and says what to check", async () => {
    const proxy = setup(200);
    nginx.includes = false;
    await expect(proxy.upsert(route(40001))).rejects.toMatchObject({
      message: `nginx reloaded but does not serve the new server block for ${HOSTNAME} within 200 ms`,
      hint: `check that nginx's http block has \`include ${DIR}/*.conf;\` and that proxy.listen (127.0.0.1:8080) is where nginx serves`,
    });
    expect(await host.files.list(DIR)).toEqual([]);
  });

  it("the same file on disk that nginx does not serve yet is reloaded, not skipped", async () => {
    const proxy = setup();
    await host.files.writeAtomic(FILE, nginxServerBlock(route(40001), "127.0.0.1:8080").text);
    await proxy.upsert(route(40001));
    // ps before the reload, and after it to see the previous workers gone.
    expect(host.execs).toEqual([PS_ARGV, [...CMD, "-t"], [...CMD, "-s", "reload"], PS_ARGV]);
  });
});

describe("nginx upsert and the workers of the previous configuration", () => {
  it("returns only once this nginx's workers from before the reload have exited", async () => {
    const proxy = new NginxProxy(...setupArgs());
    await proxy.upsert(route(40001));
    nginx.linger = 4; // listed as shutting down in three more ps answers
    host.execs.length = 0;
    const note = await proxy.upsert(route(40002));
    expect(host.execs.filter((a) => a === PS_ARGV || a.join(" ") === PS_ARGV.join(" "))).toHaveLength(5);
    expect(nginx.shuttingDown).toEqual([]);
    expect(note).toEqual({
      level: "info",
      message: expect.stringMatching(
        /^nginx's previous workers exited \d+ ms after the new block was served$/,
      ),
    });
  });

  it("gone at the first look: no note, and another nginx's workers on the host are no reason to wait", async () => {
    const proxy = new NginxProxy(...setupArgs());
    await proxy.upsert(route(40001));
    expect(await proxy.upsert(route(40002))).toBeUndefined();
  });

  it("workers that outlast oldWorkersMs: the upsert returns with a warning naming them", async () => {
    const proxy = new NginxProxy(...setupArgs({ oldWorkersMs: 300 }));
    await proxy.upsert(route(40001));
    nginx.linger = 1000;
    const t0 = Date.now();
    const note = await proxy.upsert(route(40002));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(note).toEqual({
      level: "warn",
      message: expect.stringMatching(
        /^nginx's workers from before the reload \(PID 511, 512\) still run after \d+ ms: they hold requests/,
      ),
    });
  });

  it("without ps on the host it says so and relies on the drain", async () => {
    const proxy = new NginxProxy(...setupArgs());
    await proxy.upsert(route(40001));
    nginx.ps = false;
    expect(await proxy.upsert(route(40002))).toEqual({
      level: "info",
      message:
        "nginx's previous workers are not visible from the host (`ps` failed): only the drain protects the requests they hold",
    });
  });

  it("a first route has no previous upstream: nothing to wait for", async () => {
    const proxy = new NginxProxy(...setupArgs());
    nginx.linger = 1000;
    expect(await proxy.upsert(route(40001))).toBeUndefined();
  });
});

describe("nginx remove and get", () => {
  it("remove deletes the file, tests and reloads; a missing route is a no-op", async () => {
    const proxy = setup();
    await proxy.upsert(route(40001));
    host.execs.length = 0;
    await proxy.remove(HOSTNAME);
    expect(await host.files.list(DIR)).toEqual([]);
    expect(host.execs).toEqual([
      [...CMD, "-t"],
      [...CMD, "-s", "reload"],
    ]);
    host.execs.length = 0;
    await proxy.remove(HOSTNAME);
    expect(host.execs).toEqual([]);
  });

  it("get reads the route back from its file", async () => {
    const proxy = setup();
    expect(await proxy.get(HOSTNAME)).toBeUndefined();
    await proxy.upsert(route(40001));
    expect(await proxy.get(HOSTNAME)).toEqual(route(40001));
  });

  it("defaults: nginx on PATH, /etc/nginx/conf.d/tinyforge, listen 80", () => {
    host = new FakeHost();
    const p = new NginxProxy(host, { tls: false });
    expect(p.fileOf(HOSTNAME)).toBe(`/etc/nginx/conf.d/tinyforge/${HOSTNAME}.conf`);
  });
});
