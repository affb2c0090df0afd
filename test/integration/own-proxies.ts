// A Caddy and an nginx of a test's own, set up as users run them (nginx from Debian's stock
// nginx.conf plus the README's lines, Caddy from the README's Caddyfile), so a test may reload,
// restart or stop them: the shared testbed's proxies serve other tests and are never touched.
// Each runs in its own temp dir on free 127.0.0.1 ports and is stopped by its PID.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { viaProxy } from "./proxy-harness.js";

const root = join(import.meta.dirname, "..", "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The first fenced block of `lang` in the README: the tests use exactly what users are told. */
export function readmeBlock(lang: string): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m?.[1]) throw new Error(`README.md has no \`\`\`${lang} block`);
  return m[1];
}

/** Ports nobody listens on now: all held at once so they differ, then released. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = net.createServer();
      return new Promise<net.Server>((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
    }),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.on("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopPid(pid: number | undefined): Promise<void> {
  if (!pid || !alive(pid)) return;
  process.kill(pid, "SIGTERM");
  await until(`pid ${pid} to exit`, () => !alive(pid), 15_000).catch(() => process.kill(pid, "SIGKILL"));
}

export interface OwnNginx {
  dir: string;
  port: number;
  /** The argv prefix tinyforge runs (proxy.command). */
  command: string[];
  /** proxy.config_dir: where the README's include line points. */
  configDir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Debian's /etc/nginx/nginx.conf (test/fixtures/nginx/debian-nginx.conf, verbatim), changed only
 * where a second nginx beside the system's must differ, plus `lines` inside `http { }`:
 * - pid, error_log and access_log: in the test's dir (/run/nginx.pid, /var/log/nginx belong to the
 *   system's nginx);
 * - `include /etc/nginx/conf.d/*.conf;` and `sites-enabled/*`: the test's own dirs; sites-enabled
 *   holds Debian's stock default site (test/fixtures/nginx/debian-sites-default) listening on
 *   127.0.0.1:PORT instead of port 80 and [::]:80 (loopback only). It matters: nginx builds the
 *   server_names hash only for a listen address that several servers share;
 * - `/etc/nginx/conf.d/tinyforge` in `lines`: the test's config_dir;
 * - `user www-data;` stays (nginx ignores it when not run as root).
 * tinyforge's blocks listen on the same 127.0.0.1:PORT (proxy.listen).
 */
export function debianNginxConf(dir: string, lines: string): string {
  const stock = readFileSync(join(root, "test/fixtures/nginx/debian-nginx.conf"), "utf8");
  const replace = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`the stock nginx.conf has no ${from}`);
    return text.replace(from, to);
  };
  let conf = stock;
  conf = replace(conf, "pid /run/nginx.pid;", `pid ${dir}/nginx.pid;`);
  conf = replace(conf, "error_log /var/log/nginx/error.log;", `error_log ${dir}/error.log;`);
  conf = replace(conf, "access_log /var/log/nginx/access.log;", `access_log ${dir}/access.log;`);
  conf = replace(conf, "include /etc/nginx/conf.d/*.conf;", `include ${dir}/conf.d/*.conf;`);
  conf = replace(
    conf,
    "include /etc/nginx/sites-enabled/*;",
    `include ${dir}/sites-enabled/*;\n\n${lines.replaceAll("/etc/nginx/conf.d/tinyforge", `${dir}/conf.d/tinyforge`)}`,
  );
  return conf;
}

export async function ownNginx(lines = readmeBlock("nginx")): Promise<OwnNginx> {
  const dir = mkdtempSync(join(tmpdir(), "tf-own-nginx-"));
  const [port] = (await freePorts(1)) as [number];
  for (const d of ["conf.d/tinyforge", "sites-enabled"]) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, "nginx.conf"), debianNginxConf(dir, lines));
  const site = readFileSync(join(root, "test/fixtures/nginx/debian-sites-default"), "utf8");
  for (const from of ["\tlisten 80 default_server;", "\tlisten [::]:80 default_server;"]) {
    if (!site.includes(from)) throw new Error(`the stock default site has no ${from}`);
  }
  writeFileSync(
    join(dir, "sites-enabled/default"),
    site
      .replace("\tlisten 80 default_server;", `\tlisten 127.0.0.1:${port} default_server;`)
      .replace("\tlisten [::]:80 default_server;", ""),
  );
  // -e: nginx opens its compiled-in /var/log/nginx/error.log before it reads the config.
  const command = ["/usr/sbin/nginx", "-p", `${dir}/`, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`];
  const pid = () => {
    const f = join(dir, "nginx.pid");
    return existsSync(f) ? Number(readFileSync(f, "utf8").trim()) : undefined;
  };
  const self: OwnNginx = {
    dir,
    port,
    command,
    configDir: join(dir, "conf.d/tinyforge"),
    async start() {
      // nginx daemonizes: the master's PID is in its pid file once it runs.
      execFileSync(command[0]!, command.slice(1), { stdio: "pipe" });
      await until("nginx to start", () => pid() !== undefined && alive(pid()!));
    },
    async stop() {
      const p = pid();
      await stopPid(p);
      rmSync(join(dir, "nginx.pid"), { force: true });
    },
  };
  return self;
}

export interface OwnCaddy {
  dir: string;
  admin: string;
  adminPort: number;
  port: number;
  caddyfile: string;
  start(): Promise<void>;
  /** `caddy reload --config Caddyfile`, what `systemctl reload caddy` runs. */
  reload(): void;
  stop(): Promise<void>;
}

/**
 * Caddy run as Debian's caddy.service runs it (`caddy run --config Caddyfile`), from the README's
 * Caddyfile with only its address moved: `http://status.example.com` → `http://status.tf.test:PORT`
 * bound to 127.0.0.1, global `admin 127.0.0.1:ADMIN` (not the default localhost:2019) and
 * `http_port PORT` (in place of 80).
 * HOME and XDG dirs are the test's own (Caddy autosaves its config there).
 */
export async function ownCaddy(): Promise<OwnCaddy> {
  const dir = mkdtempSync(join(tmpdir(), "tf-own-caddy-"));
  const [adminPort, port] = (await freePorts(2)) as [number, number];
  const site = readmeBlock("caddyfile");
  if (!site.includes("http://status.example.com {"))
    throw new Error("README Caddyfile changed: update ownCaddy");
  const caddyfile = join(dir, "Caddyfile");
  writeFileSync(
    caddyfile,
    // http_port: PORT plays port 80's part (Caddy never turns on TLS for routes on its HTTP port).
    `{\n\tadmin 127.0.0.1:${adminPort}\n\thttp_port ${port}\n}\n\n${site.replace(
      "http://status.example.com {",
      `http://status.tf.test:${port} {\n\tbind 127.0.0.1`,
    )}`,
  );
  const env = {
    ...process.env,
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, "config"),
    XDG_DATA_HOME: join(dir, "data"),
  };
  let pid: number | undefined;
  return {
    dir,
    admin: `http://127.0.0.1:${adminPort}`,
    adminPort,
    port,
    caddyfile,
    async start() {
      const child = spawn("caddy", ["run", "--config", caddyfile], {
        env,
        stdio: ["ignore", "ignore", "ignore"],
        detached: false,
      });
      pid = child.pid;
      child.unref();
      await until("caddy to answer", async () => (await listening(adminPort)) && (await listening(port)));
    },
    reload() {
      execFileSync(
        "caddy",
        ["reload", "--config", caddyfile, "--address", `127.0.0.1:${adminPort}`, "--force"],
        {
          env,
          stdio: "pipe",
        },
      );
    },
    async stop() {
      await stopPid(pid);
      pid = undefined;
    },
  };
}

export interface Load {
  requests: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
  /** Answers by body. */
  bodies: Record<string, number>;
  /** Requests that got no answer, by error code. */
  errors: Record<string, number>;
}

/**
 * Requests through the proxy to `hostname` from 8 concurrent clients until `during` has settled,
 * each on a new connection, each counted: a proxy's own reload closes idle keep-alive connections
 * whatever the route does (TESTBED.md), and autocannon with `connection: close` counts its own
 * write-after-close races as errors even with no change at all (seen here: ECONNRESET with a
 * steady route), so neither would tell a lost request apart.
 */
export async function loadDuring(
  port: number,
  hostname: string,
  during: () => Promise<unknown>,
): Promise<Load> {
  const load: Load = { requests: 0, statuses: {}, bodies: {}, errors: {} };
  const count = (m: Record<string, number>, k: string) => {
    m[k] = (m[k] ?? 0) + 1;
  };
  let running = true;
  const client = async () => {
    while (running) {
      load.requests++;
      await viaProxy(port, hostname).then(
        (r) => {
          count(load.statuses, String(r.status));
          count(load.bodies, r.body);
        },
        (e: NodeJS.ErrnoException) => count(load.errors, e.code ?? e.message),
      );
    }
  };
  const clients = Array.from({ length: 8 }, client);
  try {
    await sleep(300);
    await during();
    await sleep(300);
  } finally {
    running = false;
    await Promise.all(clients);
  }
  return load;
}
