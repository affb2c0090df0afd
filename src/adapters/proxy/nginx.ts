// proxy: nginx. One server block per route, HOSTNAME.conf in a directory tinyforge owns, written
// over the deploy's SSH connection (SFTP, atomic rename). Every change is checked with `nginx -t`
// before the reload; whatever fails after the write puts the previous file back (or removes the
// new one), so what is on disk is what nginx runs. A reload is graceful: old workers finish their
// requests on blue while new ones already send to green — the route is never missing. The upsert
// returns once the old workers have exited too (bounded): until then nginx may still send to blue,
// and a blue stopped under them answers 502.
import { errorMessage, TinyforgeError } from "../../errors.js";
import type { ExecResult, Host } from "../../ports/host.js";
import type { Proxy, Route, RouteNote } from "../../ports/proxy.js";
import { clip } from "./admin-api.js";
import { checkHostname, checkRoute } from "./check.js";
import { nginxConfigFix } from "./nginx-advice.js";
import {
  defaultListen,
  nginxServerBlock,
  probePort,
  ROUTE_PROBE_PATH,
  routeFromNginx,
  WORKER_HEADER,
} from "./nginx-block.js";
import { masterOf, PS_ARGV, parsePs, type Proc, stillRunning } from "./nginx-workers.js";

export const NGINX_DEFAULT_DIR = "/etc/nginx/conf.d/tinyforge";

export interface NginxOptions {
  configDir?: string;
  command?: string[];
  listen?: string;
  tls: boolean;
  /** How long a reload may take to show through nginx (default 10 s). */
  settleMs?: number;
  /**
   * How long every probe must see the new block before it counts as served (default 250 ms).
   * After a reload nginx's master starts the new workers, sleeps 100 ms, and only then tells the
   * old ones to stop: meanwhile both accept, and an old one still serves the old config.
   */
  stableMs?: number;
  /**
   * How long the workers of the previous configuration may take to exit after the new block is
   * served (default 10 s). They finish the requests they hold on the previous upstream; past this
   * the upsert returns with a warning, and what they still hold breaks when that upstream stops.
   */
  oldWorkersMs?: number;
}

/** What the probe saw once the new block was served: the worker that answered, when it said. */
interface Served {
  worker?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class NginxProxy implements Proxy {
  readonly driver = "nginx";
  private readonly dir: string;
  private readonly command: string[];
  private readonly listen: string;
  private readonly settleMs: number;
  private readonly stableMs: number;
  private readonly oldWorkersMs: number;

  constructor(
    private readonly host: Host,
    opts: NginxOptions,
  ) {
    this.dir = (opts.configDir ?? NGINX_DEFAULT_DIR).replace(/\/+$/, "");
    this.command = opts.command ?? ["nginx"];
    this.listen = opts.listen ?? defaultListen(opts.tls);
    this.settleMs = opts.settleMs ?? 10_000;
    this.stableMs = opts.stableMs ?? 250;
    this.oldWorkersMs = opts.oldWorkersMs ?? 10_000;
  }

  fileOf(hostname: string): string {
    return `${this.dir}/${hostname}.conf`;
  }

  async upsert(route: Route): Promise<RouteNote | undefined> {
    checkRoute(route);
    const block = nginxServerBlock(route, this.listen);
    const path = this.fileOf(route.hostname);
    const previous = await this.host.files.read(path);
    // Already on disk and served: nothing to do, and no reload to reset keep-alive connections.
    if (previous === block.text && (await this.serves(route.hostname, block.revision, 0, 0))) return;
    await this.host.files.writeAtomic(path, block.text);
    // The workers running before the reload (listed beside nginx -t): which of them are this
    // nginx's is known only after it, from the worker that answers the probe.
    const listed = this.processes();
    let before: Proc[] | undefined;
    await this.apply(path, previous, route.hostname, `the server block for ${route.hostname}`, async () => {
      before = await listed;
    });
    const served = await this.serves(route.hostname, block.revision, this.settleMs, this.stableMs);
    if (!served) {
      // Back to what nginx served before: a failed route step must leave the route where it was.
      const undo = await this.restore(path, previous);
      if (!undo) await this.run("-t").then((t) => (t.code === 0 ? this.run("-s", "reload") : t));
      throw new TinyforgeError(
        "deploy_failed",
        `nginx reloaded but does not serve the new server block for ${route.hostname} within ${this.settleMs} ms${undo}`,
        {
          hint: `check that nginx's http block has \`include ${this.dir}/*.conf;\` and that proxy.listen (${this.listen}) is where nginx serves`,
        },
      );
    }
    // A first route sent nothing anywhere before: no previous upstream to protect.
    return previous === undefined ? undefined : this.oldWorkersGone(before, served.worker);
  }

  /**
   * Waits (oldWorkersMs at most) until every worker this nginx ran before the reload has exited:
   * until then one may still send a request to the previous upstream. Says what it could not see
   * or what is still running; undefined when they were gone at the first look.
   */
  private async oldWorkersGone(
    before: Proc[] | undefined,
    worker: number | undefined,
  ): Promise<RouteNote | undefined> {
    const blind = (why: string): RouteNote => ({
      level: "info",
      message: `nginx's previous workers are not visible from the host (${why}): only the drain protects the requests they hold`,
    });
    if (!before || worker === undefined)
      return blind(before ? "no worker PID in the probe's answer" : "`ps` failed");
    const t0 = Date.now();
    for (let look = 0; ; look++) {
      const now = await this.processes();
      if (!now) return blind("`ps` failed");
      const master = masterOf(now, worker);
      if (master === undefined) return blind("nginx runs in another PID namespace, or ps does not list it");
      const left = stillRunning(before, now, master);
      const ms = Date.now() - t0;
      if (left.length === 0)
        return look === 0
          ? undefined
          : {
              level: "info",
              message: `nginx's previous workers exited ${ms} ms after the new block was served`,
            };
      if (ms >= this.oldWorkersMs)
        return {
          level: "warn",
          message: `nginx's workers from before the reload (PID ${left.join(", ")}) still run after ${ms} ms: they hold requests (slow ones, WebSockets) on the previous container, which break when it stops after the drain`,
        };
      await sleep(100);
    }
  }

  /** The host's processes, or undefined when `ps` fails there. */
  private async processes(): Promise<Proc[] | undefined> {
    const r = await this.host.exec(PS_ARGV).catch(() => undefined);
    return r?.code === 0 ? parsePs(r.stdout) : undefined;
  }

  async remove(hostname: string): Promise<void> {
    checkHostname(hostname);
    const path = this.fileOf(hostname);
    const previous = await this.host.files.read(path);
    if (previous === undefined) return;
    await this.host.files.remove(path);
    await this.apply(path, previous, hostname, `the removal of ${hostname}`);
  }

  async get(hostname: string): Promise<Route | undefined> {
    checkHostname(hostname);
    const text = await this.host.files.read(this.fileOf(hostname));
    return text === undefined ? undefined : routeFromNginx(hostname, text);
  }

  url(route: Route): string {
    return `${route.tls ? "https" : "http"}://${route.hostname}`;
  }

  /** nginx -t, then reload; on either failure the previous file is back before the error. */
  private async apply(
    path: string,
    previous: string | undefined,
    hostname: string,
    what: string,
    beforeReload?: () => Promise<void>,
  ): Promise<void> {
    const test = await this.run("-t");
    if (test.code !== 0) {
      const undo = await this.restore(path, previous);
      // A limit set in the operator's nginx.conf: say which line fixes it, in the message itself
      // (it reaches statuses and chat, where hints do not).
      const fix = nginxConfigFix(`${test.stderr}\n${test.stdout}`, hostname);
      throw this.failed(
        `nginx -t rejected ${what}${undo}${fix ? `; add \`${fix}\` inside http { } in nginx.conf` : ""}`,
        test,
        fix
          ? `add \`${fix}\` inside the http { } block of nginx.conf, then deploy again; nginx still runs the previous configuration`
          : "nginx still runs the previous configuration",
      );
    }
    await beforeReload?.();
    const reload = await this.run("-s", "reload");
    if (reload.code !== 0) {
      const undo = await this.restore(path, previous);
      throw this.failed(
        `nginx -s reload failed after ${what}${undo}`,
        reload,
        "is nginx running? (proxy.command)",
      );
    }
  }

  /** Puts the previous file back (or removes a new one); "" when done, else what went wrong. */
  private async restore(path: string, previous: string | undefined): Promise<string> {
    try {
      if (previous === undefined) await this.host.files.remove(path);
      else await this.host.files.writeAtomic(path, previous);
      return "";
    } catch (e) {
      return `; putting the previous ${path} back failed too (${errorMessage(e)}): check it by hand`;
    }
  }

  private run(...args: string[]): Promise<ExecResult> {
    return this.host.exec([...this.command, ...args]);
  }

  /**
   * Served once nginx has answered the block's revision on every probe (each a new connection)
   * for stableMs: then no worker of the previous generation is left accepting (one may still
   * finish what it holds: oldWorkersGone). Undefined when that does not happen within waitMs; at
   * once when the listen address cannot be probed from the host's loopback.
   */
  private async serves(
    hostname: string,
    revision: string,
    waitMs: number,
    stableMs: number,
  ): Promise<Served | undefined> {
    const port = probePort(this.listen);
    if (port === undefined) return {};
    const deadline = Date.now() + waitMs;
    let since: number | undefined;
    for (;;) {
      let worker: number | undefined;
      const body = await this.host
        .httpRequest(port, {
          method: "GET",
          path: ROUTE_PROBE_PATH,
          headers: { host: hostname },
          timeoutMs: 2000,
        })
        .then(
          (r) => {
            const pid = Number(r.headers[WORKER_HEADER]);
            worker = Number.isInteger(pid) && pid > 0 ? pid : undefined;
            return r.status === 200 ? r.body.trim() : "";
          },
          () => "",
        );
      const now = Date.now();
      since = body === revision ? (since ?? now) : undefined;
      if (since !== undefined && now - since >= stableMs) return worker === undefined ? {} : { worker };
      if (now >= deadline) return undefined;
      await sleep(25);
    }
  }

  private failed(message: string, r: ExecResult, hint: string): TinyforgeError {
    const out = (r.stderr || r.stdout)
      .split("\n")
      .filter((l) => l.trim() && !/syntax is ok|test is successful/.test(l))
      .slice(-3)
      .join(" | ");
    return new TinyforgeError("deploy_failed", `${message} (exit ${r.code}${out ? `: ${clip(out)}` : ""})`, {
      hint,
    });
  }
}
