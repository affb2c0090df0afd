// An in-memory Docker engine behind our Docker port. It records every call that changes something
// (`create NAME`, `start ID`, `stop ID`, `remove ID`, `rename ID NAME`, `pull REF`, `build TAG`)
// so tests can assert the order of a swap, and it behaves like dockerd where the engine depends on
// it: ports are only held by running containers, a fixed port held by another running container
// fails the start, names are unique, a crashing process exits some time after its start.
import type { Readable, Writable } from "node:stream";
import { extract } from "tar-stream";
import { TinyforgeError } from "../../src/errors.js";
import type { Clock } from "../../src/ports/clock.js";
import type {
  AttachIO,
  BuildOptions,
  ContainerInfo,
  ContainerSpec,
  Docker,
  EngineInfo,
  LogOptions,
  Progress,
} from "../../src/ports/docker.js";
import { FakeClock } from "./clock.js";

/** What the process in an image does once started. */
export type Behaviour =
  | "healthy" // listens on its port and answers 200
  | "unhealthy" // listens but answers 500
  | "crash" // exits with code 1 `crashAfterMs` after its start; never answers
  | "restarting"; // crash-loops under the restart policy: up again each time, restartCount climbing

/** A container name, image ref or tag prefix; or a predicate over it. */
export type Match = string | ((arg: string) => boolean);

export interface FailOn {
  create?: Match; // container name
  start?: Match; // container name
  stop?: Match;
  remove?: Match;
  rename?: Match; // current container name
  pull?: Match; // image ref
  build?: Match; // tag
}

export interface FakeContainer {
  id: string;
  name: string;
  spec: ContainerSpec;
  status: ContainerInfo["status"];
  restartCount: number;
  exitCode: number;
  /** Port held while running; released on stop or exit like dockerd does. */
  boundPort?: number;
  /** Last port this container held: an ephemeral binding comes back on it unless newPortOnRestart. */
  lastPort?: number;
  startedAt?: number;
  createdAt: string;
}

export interface BuildRecord {
  opts: BuildOptions;
  /** Entry names of the uploaded context, sorted. */
  files: string[];
}

function dockerError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) ${message}`), { statusCode });
}

function matches(m: Match | undefined, arg: string): boolean {
  if (m === undefined) return false;
  return typeof m === "string" ? arg.startsWith(m) : m(arg);
}

export class FakeDocker implements Docker {
  readonly calls: string[] = [];
  readonly containers = new Map<string, FakeContainer>();
  readonly images = new Set<string>();
  /** Every spec handed to create, in order (including ones whose create then failed). */
  readonly specs: ContainerSpec[] = [];
  readonly builds: BuildRecord[] = [];
  behaviour: (image: string) => Behaviour = () => "healthy";
  failOn: FailOn = {};
  /** Shared with the fake proxy and files: one ordered story of the deploy. */
  timeline?: string[];
  /** Awaited after a call is recorded and before it takes effect: read state mid-swap, block, or throw. */
  beforeCall?: (call: string) => void | Promise<void>;
  /** The app runs as PID 1 without a SIGTERM handler: stop waits out its timeout, then kills. */
  ignoresSigterm = false;
  /** How long a "crash" process lives (0: it is gone before anyone looks). */
  crashAfterMs = 1;
  /** Whether a restarted container with an ephemeral binding gets a new host port. */
  newPortOnRestart = false;
  reachable = true;
  private nextPort = 40_000;
  private seq = 0;

  constructor(private readonly clock: Clock = new FakeClock()) {}

  /** Records the call, lets the test observe or block, then fails it when failOn names `arg`. */
  private async call(op: keyof FailOn, arg: string, line = `${op} ${arg}`): Promise<void> {
    this.calls.push(line);
    this.timeline?.push(`docker ${line}`);
    await this.beforeCall?.(line);
    if (!matches(this.failOn[op], arg)) return;
    // pull and build fail the way the real adapter reports them: coded errors.
    if (op === "pull") throw new TinyforgeError("pull_failed", `pulling ${arg} failed: manifest unknown`);
    if (op === "build") throw new TinyforgeError("build_failed", "docker build failed: exit code 1");
    throw dockerError(500, `${op} ${arg}: injected failure`);
  }

  private find(idOrName: string): FakeContainer | undefined {
    const c = this.containers.get(idOrName) ?? [...this.containers.values()].find((x) => x.name === idOrName);
    if (c) this.tick(c);
    return c;
  }

  private must(id: string): FakeContainer {
    const c = this.find(id);
    if (!c) throw dockerError(404, `No such container: ${id}`);
    return c;
  }

  /** Lets time act on a running container: a crash exits, a crash loop restarts. */
  private tick(c: FakeContainer): void {
    if (c.status !== "running" || c.startedAt === undefined) return;
    const elapsed = this.clock.now() - c.startedAt;
    const b = this.behaviour(c.spec.image);
    if (b === "crash" && elapsed >= this.crashAfterMs) {
      c.status = "exited";
      c.exitCode = 1;
      c.boundPort = undefined;
    } else if (b === "restarting") {
      c.restartCount = Math.floor(elapsed / Math.max(1, this.crashAfterMs));
    }
  }

  private holder(port: number, except: string): FakeContainer | undefined {
    return [...this.containers.values()].find((c) => {
      this.tick(c);
      return c.id !== except && c.status === "running" && c.boundPort === port;
    });
  }

  /** The running container published on `port`, if any (what an HTTP probe would reach). */
  listening(port: number): { container: FakeContainer; behaviour: Behaviour } | undefined {
    const c = this.holder(port, "");
    return c && { container: c, behaviour: this.behaviour(c.spec.image) };
  }

  byName(name: string): FakeContainer | undefined {
    return [...this.containers.values()].find((c) => c.name === name);
  }

  specOf(name: string): ContainerSpec | undefined {
    return this.specs.find((s) => s.name === name);
  }

  async ping(): Promise<void> {
    if (!this.reachable) throw new Error("connect ENOENT /var/run/docker.sock");
  }

  async engine(): Promise<EngineInfo> {
    await this.ping();
    return { version: "27.0.0-fake", apiVersion: "1.46", rootDir: "/var/lib/docker" };
  }

  async lookUp(ref: string): Promise<"found" | "missing"> {
    await this.ping();
    return this.images.has(ref) ? "found" : "missing";
  }

  async imageExists(ref: string): Promise<boolean> {
    return this.images.has(ref);
  }

  async pull(ref: string, onProgress: Progress): Promise<void> {
    await this.call("pull", ref);
    onProgress(`${ref}: Pulling from fake registry`);
    this.images.add(ref);
    onProgress(`Status: Downloaded newer image for ${ref}`);
  }

  async build(context: Readable, opts: BuildOptions, onProgress: Progress): Promise<void> {
    await this.call("build", opts.tag);
    const files: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const x = extract();
      x.on("entry", (header, stream, next) => {
        files.push(header.type === "directory" ? `${header.name.replace(/\/$/, "")}/` : header.name);
        stream.on("end", next);
        stream.resume();
      });
      x.on("finish", resolve);
      x.on("error", reject);
      context.on("error", reject);
      context.pipe(x);
    });
    this.builds.push({ opts, files: files.sort() });
    onProgress(`Successfully tagged ${opts.tag}`);
    this.images.add(opts.tag);
  }

  async removeImage(ref: string): Promise<void> {
    this.calls.push(`removeImage ${ref}`);
    this.timeline?.push(`docker removeImage ${ref}`);
    this.images.delete(ref);
  }

  async listImageTags(repo: string): Promise<string[]> {
    return [...this.images].filter((i) => i.startsWith(`${repo}:`)).sort();
  }

  async create(spec: ContainerSpec): Promise<string> {
    this.specs.push(spec);
    await this.call("create", spec.name);
    this.assertFreeName(spec.name, "");
    if (!this.images.has(spec.image)) throw dockerError(404, `No such image: ${spec.image}`);
    const id = `c${++this.seq}`;
    this.containers.set(id, {
      id,
      name: spec.name,
      spec,
      status: "created",
      restartCount: 0,
      exitCode: 0,
      createdAt: new Date(this.clock.now()).toISOString(),
    });
    return id;
  }

  async start(id: string): Promise<void> {
    await this.call("start", this.find(id)?.name ?? id, `start ${id}`);
    const c = this.must(id);
    if (c.status === "running") return; // 304 Not Modified
    const port = this.bind(c);
    Object.assign(c, {
      status: "running",
      exitCode: 0,
      boundPort: port,
      lastPort: port,
      startedAt: this.clock.now(),
    });
  }

  /** The host port a starting container gets, the way dockerd hands them out. */
  private bind(c: FakeContainer): number | undefined {
    if (c.spec.port === undefined) return undefined;
    const fixed = c.spec.hostPort;
    if (fixed !== undefined) {
      if (!this.holder(fixed, c.id)) return fixed;
      const bind = `Bind for ${c.spec.publishIp}:${fixed} failed: port is already allocated`;
      throw dockerError(
        500,
        `driver failed programming external connectivity on endpoint ${c.name}: ${bind}`,
      );
    }
    if (c.lastPort !== undefined && !this.newPortOnRestart && !this.holder(c.lastPort, c.id))
      return c.lastPort;
    let port = this.nextPort++;
    while (this.holder(port, c.id)) port = this.nextPort++;
    return port;
  }

  private assertFreeName(name: string, self: string): void {
    const clash = this.byName(name);
    if (clash && clash.id !== self) {
      throw dockerError(
        409,
        `Conflict. The container name "/${name}" is already in use by container "${clash.id}"`,
      );
    }
  }

  async stop(id: string, timeoutSec: number): Promise<void> {
    const c = this.find(id);
    await this.call("stop", c?.name ?? id, `stop ${id}`);
    if (c?.status !== "running") return; // 404 and 304 are the state the caller wanted
    // dockerd sends SIGTERM, waits timeoutSec, then SIGKILLs: exit code 128 + 9.
    const killed = this.ignoresSigterm || timeoutSec === 0;
    if (this.ignoresSigterm) await this.clock.sleep(timeoutSec * 1000);
    Object.assign(c, { status: "exited", exitCode: killed ? 137 : 0, boundPort: undefined });
  }

  async remove(id: string): Promise<void> {
    const c = this.find(id);
    await this.call("remove", c?.name ?? id, `remove ${id}`);
    this.containers.delete(c?.id ?? id); // force: a running container goes too
  }

  async rename(id: string, name: string): Promise<void> {
    const c = this.find(id);
    await this.call("rename", c?.name ?? id, `rename ${id} ${name}`);
    const target = this.must(id);
    this.assertFreeName(name, target.id);
    target.name = name;
  }

  async inspect(idOrName: string): Promise<ContainerInfo | undefined> {
    const c = this.find(idOrName);
    return c && this.info(c);
  }

  async list(labels: string[]): Promise<ContainerInfo[]> {
    const wanted = labels.map((l) => {
      const i = l.indexOf("=");
      return [l.slice(0, i), l.slice(i + 1)] as const;
    });
    return [...this.containers.values()]
      .filter((c) => wanted.every(([k, v]) => c.spec.labels[k] === v))
      .map((c) => {
        this.tick(c);
        return this.info(c);
      });
  }

  /** What every container printed, when a test sets it (a crash that prints a secret). */
  output?: string;

  /** A one-off container runs to completion at once: it exits 0. */
  async wait(id: string): Promise<number> {
    const c = this.must(id);
    Object.assign(c, { status: "exited", exitCode: 0, boundPort: undefined });
    return 0;
  }

  async logs(id: string, tail: number): Promise<string> {
    const c = this.find(id);
    if (!c) return "";
    if (this.output !== undefined)
      return this.output
        .split("\n")
        .slice(-tail - 1)
        .join("\n");
    const last = this.behaviour(c.spec.image) === "crash" ? "Error: boom" : `listening on :${c.spec.port}`;
    const lines = ["starting", last];
    return `${lines.slice(-tail).join("\n")}\n`;
  }

  /** Networks (made by ensureNetwork, or put here by a test), by name: their labels. */
  readonly networks = new Map<string, Record<string, string>>();
  readonly removedVolumes: string[] = [];
  /** What a one-off container or an exec "prints" and exits with. */
  onRun = (_argv: string[] | undefined): { out: string; code: number } => ({ out: "", code: 0 });

  async streamLogs(id: string, opts: LogOptions, out: { stdout: Writable; stderr: Writable }): Promise<void> {
    out.stdout.write(await this.logs(id, opts.tail ?? 100));
  }

  async runLike(
    sourceId: string,
    one: { name: string; command: string[]; labels: Record<string, string> },
    io: AttachIO,
  ): Promise<number> {
    this.calls.push(`run ${one.name} like ${this.must(sourceId).name}`);
    const r = this.onRun(one.command);
    io.stdout.write(r.out);
    return r.code;
  }

  async execAttached(id: string, argv: string[], io: AttachIO): Promise<number> {
    this.calls.push(`exec ${this.must(id).name}`);
    const r = this.onRun(argv);
    io.stdout.write(r.out);
    return r.code;
  }

  async ensureNetwork(name: string, labels: Record<string, string>): Promise<Record<string, string>> {
    const found = this.networks.get(name);
    if (found) return found;
    this.calls.push(`network ${name}`);
    this.networks.set(name, labels);
    return labels;
  }

  async removeVolume(name: string): Promise<void> {
    this.calls.push(`remove-volume ${name}`);
    this.removedVolumes.push(name);
  }

  private info(c: FakeContainer): ContainerInfo {
    const running = c.status === "running";
    return {
      id: c.id,
      name: c.name,
      image: c.spec.image,
      imageId: `sha256:${c.spec.image}`,
      labels: c.spec.labels,
      status: c.status,
      // Between restarts dockerd reports the process as running; only restartCount gives it away.
      running,
      restartCount: c.restartCount,
      exitCode: c.exitCode,
      ...(c.boundPort !== undefined ? { hostPort: c.boundPort } : {}),
      createdAt: c.createdAt,
      mounts: volumeMounts(c.spec.volumes),
    };
  }
}

/** The named volumes of `SOURCE:TARGET[:MODE]` specs, as dockerd reports them (host paths are binds). */
function volumeMounts(specs: string[]): Array<{ volume: string; path: string }> {
  return specs.flatMap((v) => {
    const [source = "", path = ""] = v.split(":");
    return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source) ? [{ volume: source, path }] : [];
  });
}
