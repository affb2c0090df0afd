// The long-lived Docker calls: following a container's output, a one-off container, docker exec.
// Each ends when its stream ends; a stream that closes without its end (the SSH channel under it
// went away) is an error, never a wait on a timer, so a dropped connection cannot hang a command.
import { Readable, type Writable } from "node:stream";
import type Dockerode from "dockerode";
import { TinyforgeError } from "../errors.js";
import type { AttachIO, LogOptions } from "../ports/docker.js";

type Modem = Dockerode["modem"];

function lost(what: string): TinyforgeError {
  return new TinyforgeError("host_unreachable", `${what}: the connection to the host was lost`, {
    hint: "check the host and run the command again",
  });
}

/** Copies a (multiplexed unless tty) Docker stream to stdout/stderr until it ends or `signal` fires. */
function pump(
  modem: Modem,
  stream: NodeJS.ReadableStream,
  out: { stdout: Writable; stderr: Writable; tty: boolean },
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let ended = false;
    const s = stream as Readable;
    signal?.addEventListener(
      "abort",
      () => {
        ended = true;
        s.destroy();
        resolve();
      },
      { once: true },
    );
    if (out.tty) s.on("data", (chunk: Buffer) => out.stdout.write(chunk));
    else modem.demuxStream(s, out.stdout, out.stderr);
    s.on("end", () => {
      ended = true;
      resolve();
    });
    s.on("error", (e) => (ended ? resolve() : reject(lost(`${what} (${e.message})`))));
    s.on("close", () => (ended ? resolve() : reject(lost(what))));
  });
}

export async function streamLogs(
  d: Dockerode,
  id: string,
  opts: LogOptions,
  out: { stdout: Writable; stderr: Writable },
): Promise<void> {
  const common = {
    stdout: true,
    stderr: true,
    ...(opts.tail !== undefined ? { tail: opts.tail } : {}),
    ...(opts.sinceSec !== undefined ? { since: opts.sinceSec } : {}),
  };
  const c = d.getContainer(id);
  // dockerode answers a finished read with a Buffer and a followed one with a stream.
  const body = opts.follow
    ? ((await c.logs({ ...common, follow: true })) as unknown as NodeJS.ReadableStream)
    : Readable.from([(await c.logs({ ...common, follow: false })) as unknown as Buffer]);
  await pump(d.modem, body, { ...out, tty: false }, `logs of ${id.slice(0, 12)}`, opts.signal);
}

function feedStdin(io: AttachIO, stream: NodeJS.ReadWriteStream): void {
  if (!io.stdin) return;
  io.stdin.pipe(stream as unknown as Writable);
}

/** Waits for the output to drain after the process exited; bounded, it has nothing left to say. */
async function drained(output: Promise<void>, ms = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    output.catch(() => undefined),
    new Promise<void>((r) => {
      timer = setTimeout(r, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * A one-off container like `source` (a serving container, read with docker inspect): its image,
 * env (secrets included), volumes, networks and user; no published ports, no restart policy, the
 * given argv as its command. Pure, so the copy is asserted value by value.
 */
export function oneOffOptions(
  source: Dockerode.ContainerInspectInfo,
  name: string,
  argv: string[],
  labels: Record<string, string>,
): Dockerode.ContainerCreateOptions {
  const networks = Object.keys(source.NetworkSettings.Networks ?? {});
  const mode = source.HostConfig.NetworkMode;
  const first = mode && networks.includes(mode) ? mode : (networks[0] ?? mode);
  return {
    name,
    Image: source.Image,
    Env: source.Config.Env ?? [],
    Cmd: argv,
    Labels: labels,
    ...(source.Config.User ? { User: source.Config.User } : {}),
    ...(source.Config.WorkingDir ? { WorkingDir: source.Config.WorkingDir } : {}),
    HostConfig: {
      Binds: source.HostConfig.Binds ?? [],
      ...(first ? { NetworkMode: first } : {}),
      RestartPolicy: { Name: "no" },
      AutoRemove: false,
    },
  };
}

/** The networks `source` is on besides the one a create can name (joined before start). */
export function extraNetworks(source: Dockerode.ContainerInspectInfo, first: string | undefined): string[] {
  return Object.keys(source.NetworkSettings.Networks ?? {}).filter((n) => n !== first);
}

/** Creates, attaches, starts and waits for a container; removes it whatever happens. Its exit code. */
export async function runAttached(
  d: Dockerode,
  create: Dockerode.ContainerCreateOptions,
  io: AttachIO,
  beforeStart: (id: string) => Promise<void>,
): Promise<number> {
  const withStdin = io.stdin !== undefined;
  const c = await d.createContainer({
    ...create,
    Tty: io.tty,
    AttachStdin: withStdin,
    OpenStdin: withStdin,
    StdinOnce: withStdin,
    AttachStdout: true,
    AttachStderr: true,
  });
  try {
    await beforeStart(c.id);
    const stream = await c.attach({
      stream: true,
      stdin: withStdin,
      stdout: true,
      stderr: true,
      hijack: withStdin,
    });
    const output = pump(d.modem, stream, io, `run ${create.name ?? c.id}`);
    await c.start();
    if (io.tty && io.size) await c.resize(io.size).catch(() => undefined);
    feedStdin(io, stream);
    // A wait that fails without an HTTP status lost its channel: the connection went.
    const waited = (c.wait() as Promise<{ StatusCode: number }>).catch(
      (e: { statusCode?: number; message?: string }) => {
        throw e.statusCode ? e : lost(`run ${create.name ?? c.id} (${e.message})`);
      },
    );
    const { StatusCode } = await Promise.race([
      waited,
      // The output closing without its end means the connection went: stop waiting for an answer.
      output.then(
        () => waited,
        (e) => Promise.reject(e),
      ),
    ]);
    await drained(output);
    return StatusCode;
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

/** docker exec ARGV in a running container; the process's exit code. */
export async function execAttached(d: Dockerode, id: string, argv: string[], io: AttachIO): Promise<number> {
  const withStdin = io.stdin !== undefined;
  const exec = await d.getContainer(id).exec({
    Cmd: argv,
    AttachStdin: withStdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: io.tty,
  });
  const stream = (await exec.start({
    hijack: withStdin,
    stdin: withStdin,
    Tty: io.tty,
  })) as NodeJS.ReadWriteStream;
  if (io.tty && io.size) await exec.resize(io.size).catch(() => undefined);
  feedStdin(io, stream);
  await pump(d.modem, stream, io, `exec in ${id.slice(0, 12)}`);
  // The stream ends as the process exits; its exit code is set a moment later.
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new TinyforgeError("deploy_failed", "exec: the process ended but Docker reported no exit code");
}
