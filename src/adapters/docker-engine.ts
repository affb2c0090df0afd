// dockerode behind our Docker port. The translation to Docker's API body is a pure function
// (createOptions) with an exact-value test; the rest is thin calls tested against a real engine.
import type { Readable, Writable } from "node:stream";
import type Dockerode from "dockerode";
import { errorMessage, TinyforgeError } from "../errors.js";
import type {
  AttachIO,
  BuildOptions,
  ContainerInfo,
  ContainerSpec,
  Docker,
  EngineInfo,
  LogOptions,
  Progress,
} from "../ports/docker.js";
import { execAttached, extraNetworks, oneOffOptions, runAttached, streamLogs } from "./docker-attach.js";
import type { Bounds } from "./lifeline.js";

const S = 1000;
const START_ATTEMPTS = 5;
/**
 * How long each Docker API call may take before the deploy gives up on it (generous: a loaded
 * host is slow, not dead). A stop waits the container's own stop timeout first. Pull and build
 * stream progress for as long as they need: they are bounded by silence instead (PROGRESS_IDLE_MS).
 */
export const DOCKER_BOUNDS: Bounds<DockerEngine> = {
  ping: 15 * S,
  engine: 15 * S,
  lookUp: 30 * S,
  imageExists: 30 * S,
  removeImage: 60 * S,
  listImageTags: 30 * S,
  create: 60 * S,
  start: 60 * S,
  stop: (_id: string, timeoutSec: number) => (timeoutSec + 60) * S,
  remove: 60 * S,
  rename: 30 * S,
  inspect: 30 * S,
  list: 30 * S,
  logs: 30 * S,
  ensureNetwork: 30 * S,
  removeVolume: 60 * S,
  // streamLogs, runLike and execAttached last as long as the command or the reader wants; the
  // lifeline still ends them the moment the connection drops.
};
/** A pull or build that reports nothing for this long is stuck (a registry that stopped answering). */
export const PROGRESS_IDLE_MS = 10 * 60 * S;

export function createOptions(spec: ContainerSpec): Dockerode.ContainerCreateOptions {
  const portKey = spec.port === undefined ? undefined : `${spec.port}/tcp`;
  return {
    name: spec.name,
    Image: spec.image,
    Labels: spec.labels,
    Env: spec.env,
    ...(spec.command ? { Cmd: spec.command } : {}),
    ...(portKey ? { ExposedPorts: { [portKey]: {} } } : {}),
    StopTimeout: spec.stopTimeoutSec,
    HostConfig: {
      ...(portKey
        ? {
            PortBindings: {
              [portKey]: [{ HostIp: spec.publishIp, HostPort: spec.hostPort ? String(spec.hostPort) : "" }],
            },
          }
        : {}),
      // unless-stopped: a host reboot brings the serving version back; a stop by us is final.
      RestartPolicy: { Name: spec.restart ?? "unless-stopped" },
      ...(spec.memoryBytes !== undefined ? { Memory: spec.memoryBytes } : {}),
      ...(spec.nanoCpus !== undefined ? { NanoCpus: spec.nanoCpus } : {}),
      Binds: spec.volumes,
      ...(spec.network ? { NetworkMode: spec.network } : {}),
    },
    ...(spec.network && spec.aliases?.length
      ? { NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: spec.aliases } } } }
      : {}),
  };
}

function firstHostPort(
  ports: Record<string, Array<{ HostPort: string }> | null> | undefined,
): number | undefined {
  for (const bindings of Object.values(ports ?? {})) {
    const p = bindings?.[0]?.HostPort;
    if (p) return Number(p);
  }
  return undefined;
}

/** Splits Docker's multiplexed (non-TTY) log frames into plain text. */
export function demuxLogs(buf: Buffer): string {
  let out = "";
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2 || buf[i] === 0)) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString("utf8");
    i += 8 + size;
  }
  return i === 0 ? buf.toString("utf8") : out;
}

function isNotFound(e: unknown): boolean {
  return (e as { statusCode?: number }).statusCode === 404;
}

async function follow(
  modem: Dockerode["modem"],
  stream: NodeJS.ReadableStream,
  onProgress: Progress,
): Promise<string | undefined> {
  let failure: string | undefined;
  let idle: NodeJS.Timeout | undefined;
  const quiet = (reject: (e: Error) => void) => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      reject(new Error(`no progress for ${PROGRESS_IDLE_MS / 60_000} minutes`));
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    }, PROGRESS_IDLE_MS);
  };
  await new Promise<void>((resolve, reject) => {
    quiet(reject);
    modem.followProgress(
      stream,
      (err) => {
        clearTimeout(idle);
        if (err) reject(err);
        else resolve();
      },
      (ev: {
        stream?: string;
        status?: string;
        progress?: string;
        id?: string;
        error?: string;
        errorDetail?: { message?: string };
      }) => {
        quiet(reject);
        if (ev.error || ev.errorDetail) failure = ev.errorDetail?.message ?? ev.error;
        const line = ev.stream ?? (ev.status ? `${ev.id ? `${ev.id}: ` : ""}${ev.status}` : undefined);
        if (line?.trim()) onProgress(line.trimEnd());
      },
    );
  });
  return failure;
}

export class DockerEngine implements Docker {
  constructor(private readonly d: Dockerode) {}

  async ping(): Promise<void> {
    await this.d.ping();
  }

  async engine(): Promise<EngineInfo> {
    const [v, info] = await Promise.all([this.d.version(), this.d.info()]);
    return { version: v.Version, apiVersion: v.ApiVersion, rootDir: String(info.DockerRootDir ?? "") };
  }

  async lookUp(ref: string): Promise<"found" | "missing"> {
    try {
      await this.d.getImage(ref).distribution();
      return "found";
    } catch (e) {
      if (isNotFound(e)) return "missing";
      const body = (e as { json?: { message?: unknown } }).json?.message;
      throw new Error(typeof body === "string" ? body : (e as Error).message);
    }
  }

  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.d.getImage(ref).inspect();
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async pull(ref: string, onProgress: Progress): Promise<void> {
    let failure: string | undefined;
    try {
      const stream = await this.d.pull(ref);
      failure = await follow(this.d.modem, stream, onProgress);
    } catch (e) {
      failure = (e as Error).message;
    }
    if (failure)
      throw new TinyforgeError("pull_failed", `pulling ${ref} failed: ${failure}`, {
        hint: "check the image name and that the host can reach the registry",
      });
  }

  async build(context: Readable, opts: BuildOptions, onProgress: Progress): Promise<void> {
    let failure: string | undefined;
    try {
      const stream = await this.d.buildImage(context, {
        t: opts.tag,
        dockerfile: opts.dockerfile,
        buildargs: opts.buildArgs,
        labels: opts.labels,
        rm: true,
        forcerm: true,
      });
      failure = await follow(this.d.modem, stream, onProgress);
    } catch (e) {
      failure = (e as Error).message;
    }
    if (failure) throw new TinyforgeError("build_failed", `docker build failed: ${failure}`);
  }

  async removeImage(ref: string): Promise<void> {
    try {
      await this.d.getImage(ref).remove();
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async listImageTags(repo: string): Promise<string[]> {
    const images = await this.d.listImages({ filters: { reference: [repo] } });
    return images.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${repo}:`));
  }

  async create(spec: ContainerSpec): Promise<string> {
    const c = await this.d.createContainer(createOptions(spec));
    try {
      await this.joinNetworks(c.id, spec);
    } catch (e) {
      await this.remove(c.id);
      throw e;
    }
    return c.id;
  }

  // API 1.41 takes one network at create; the others are joined before the container starts.
  private async joinNetworks(id: string, spec: Pick<ContainerSpec, "networks">): Promise<void> {
    for (const n of spec.networks ?? []) {
      await this.d.getNetwork(n.name).connect({
        Container: id,
        ...(n.aliases?.length ? { EndpointConfig: { Aliases: n.aliases } } : {}),
      });
    }
  }

  async ensureNetwork(name: string, labels: Record<string, string>): Promise<Record<string, string>> {
    try {
      const n = (await this.d.getNetwork(name).inspect()) as { Labels?: Record<string, string> | null };
      return n.Labels ?? {};
    } catch (e) {
      if (!isNotFound(e)) throw e;
      await this.d.createNetwork({ Name: name, Driver: "bridge", Labels: labels, CheckDuplicate: true });
      return labels;
    }
  }

  async removeVolume(name: string): Promise<void> {
    try {
      await this.d.getVolume(name).remove();
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  streamLogs(id: string, opts: LogOptions, out: { stdout: Writable; stderr: Writable }): Promise<void> {
    return streamLogs(this.d, id, opts, out);
  }

  async runLike(
    sourceId: string,
    one: { name: string; command: string[]; labels: Record<string, string> },
    io: AttachIO,
  ): Promise<number> {
    const source = await this.d.getContainer(sourceId).inspect();
    const opts = oneOffOptions(source, one.name, one.command, one.labels);
    const others = extraNetworks(source, opts.HostConfig?.NetworkMode);
    return runAttached(this.d, opts, io, (id) =>
      this.joinNetworks(id, { networks: others.map((name) => ({ name })) }),
    );
  }

  execAttached(id: string, argv: string[], io: AttachIO): Promise<number> {
    return execAttached(this.d, id, argv, io);
  }

  async start(id: string): Promise<void> {
    // A random host port is picked by the engine's own allocator, which knows nothing of what else
    // on the host holds ports in that range (an outgoing connection, another engine's proxy): on
    // "address already in use" the next start takes the next port.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.d.getContainer(id).start();
        return;
      } catch (e) {
        if (attempt >= START_ATTEMPTS || !/address already in use/.test(errorMessage(e))) throw e;
      }
    }
  }

  async stop(id: string, timeoutSec: number): Promise<void> {
    try {
      await this.d.getContainer(id).stop({ t: timeoutSec });
    } catch (e) {
      // 304: already stopped; 404: already gone. Both are the state we wanted.
      const code = (e as { statusCode?: number }).statusCode;
      if (code !== 304 && code !== 404) throw e;
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.d.getContainer(id).remove({ force: true, v: false });
    } catch (e) {
      const code = (e as { statusCode?: number }).statusCode;
      // 409 "removal already in progress" ends in the state we want as well.
      if (code !== 404 && code !== 409) throw e;
    }
  }

  async rename(id: string, name: string): Promise<void> {
    await this.d.getContainer(id).rename({ name });
  }

  async inspect(idOrName: string): Promise<ContainerInfo | undefined> {
    try {
      const c = await this.d.getContainer(idOrName).inspect();
      return {
        id: c.Id,
        name: c.Name.replace(/^\//, ""),
        image: c.Config.Image,
        imageId: c.Image,
        labels: c.Config.Labels ?? {},
        status: c.State.Status as ContainerInfo["status"],
        running: c.State.Running && !c.State.Restarting,
        restartCount: c.RestartCount,
        exitCode:
          c.RestartCount > 0 && c.State.Running
            ? ((await this.lastExitCode(c.Id, c.Created).catch(() => undefined)) ?? c.State.ExitCode)
            : c.State.ExitCode,
        hostPort: firstHostPort(c.NetworkSettings.Ports as never),
        createdAt: c.Created,
        env: c.Config.Env ?? [],
        mounts: volumeMounts(c.Mounts),
      };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list(labels: string[]): Promise<ContainerInfo[]> {
    const rows = await this.d.listContainers({ all: true, filters: { label: labels } });
    return rows.map((r) => ({
      id: r.Id,
      name: (r.Names[0] ?? "").replace(/^\//, ""),
      image: r.Image,
      imageId: r.ImageID,
      labels: r.Labels ?? {},
      status: r.State as ContainerInfo["status"],
      running: r.State === "running",
      restartCount: 0,
      exitCode: 0,
      hostPort: r.Ports.find((p) => p.PublicPort)?.PublicPort,
      createdAt: new Date(r.Created * 1000).toISOString(),
      mounts: volumeMounts(r.Mounts),
    }));
  }

  /**
   * The exit code of a container's last death. Once the restart policy has brought it back,
   * inspect says 0 for the running process; the engine's "die" events keep the real one.
   */
  private async lastExitCode(id: string, created: string): Promise<number | undefined> {
    const stream = (await this.d.getEvents({
      since: Math.floor(Date.parse(created) / 1000),
      until: (Date.now() / 1000).toFixed(3),
      filters: { container: [id], event: ["die"] },
    } as never)) as unknown as NodeJS.ReadableStream;
    let text = "";
    for await (const chunk of stream) text += String(chunk);
    const last = text.trim().split("\n").filter(Boolean).at(-1);
    const code = last ? Number(JSON.parse(last).Actor?.Attributes?.exitCode) : Number.NaN;
    return Number.isInteger(code) ? code : undefined;
  }

  async wait(id: string): Promise<number> {
    const r = (await this.d.getContainer(id).wait()) as { StatusCode: number };
    return r.StatusCode;
  }

  async logs(id: string, tail: number): Promise<string> {
    try {
      const buf = (await this.d
        .getContainer(id)
        .logs({ stdout: true, stderr: true, tail, follow: false })) as unknown as Buffer;
      return demuxLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
    } catch (e) {
      if (isNotFound(e)) return "";
      throw e;
    }
  }
}

/** A container's named-volume mounts (inspect's and list's `Mounts`); binds and tmpfs left out. */
function volumeMounts(
  mounts: ReadonlyArray<{ Type?: string; Name?: string; Destination?: string }> | undefined,
): Array<{ volume: string; path: string }> {
  return (mounts ?? []).flatMap((m) =>
    m.Type === "volume" && m.Name && m.Destination ? [{ volume: m.Name, path: m.Destination }] : [],
  );
}
