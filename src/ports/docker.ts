// The Docker operations the engine needs, in our own words. Only src/adapters/docker-engine.ts
// talks to dockerode; the engine and its unit tests see this interface.
import type { Readable, Writable } from "node:stream";

export interface ContainerSpec {
  name: string;
  image: string;
  labels: Record<string, string>;
  /** KEY=VALUE pairs; secret values travel in the API body, never in argv. */
  env: string[];
  /** Port the app listens on inside the container; published on publishIp. */
  port?: number;
  publishIp: string;
  /** Fixed host port; undefined lets the engine pick a free one. */
  hostPort?: number;
  network?: string;
  /** Network aliases (the proxy can forward to a stable name). */
  aliases?: string[];
  volumes: string[];
  command?: string[];
  stopTimeoutSec: number;
  /** Memory limit in bytes (resources.memory). */
  memoryBytes?: number;
  /** CPU limit in billionths of a core (resources.cpus). */
  nanoCpus?: number;
  /** Further networks joined after create, each with its aliases (a project's accessories). */
  networks?: Array<{ name: string; aliases?: string[] }>;
  /** Default unless-stopped; "no" for one-off containers, which are removed when they end. */
  restart?: "no" | "unless-stopped";
}

export interface LogOptions {
  follow: boolean;
  tail?: number;
  /** Unix seconds: only output written since then. */
  sinceSec?: number;
  /** Ends a followed stream (Ctrl-C). */
  signal?: AbortSignal;
}

/** Where a one-off container's or an exec's streams go; stdin only when attached. */
export interface AttachIO {
  stdin?: NodeJS.ReadableStream;
  stdout: Writable;
  stderr: Writable;
  tty: boolean;
  size?: { h: number; w: number };
}

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  status: "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";
  running: boolean;
  restartCount: number;
  exitCode: number;
  /** Host port the container's app port is published on, when it is. */
  hostPort?: number;
  createdAt: string;
  /** Its environment as KEY=VALUE (inspect only): `plan` compares names, never shows values. */
  env?: string[];
  /** The named volumes it mounts and where: a deno site's next release keeps its storage volume. */
  mounts?: Array<{ volume: string; path: string }>;
}

export type Progress = (line: string) => void;

export interface BuildOptions {
  tag: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
}

/** What `doctor` reports of an engine. */
export interface EngineInfo {
  version: string;
  apiVersion: string;
  /** Where images and containers live on the host (its free space is what builds and pulls use). */
  rootDir: string;
}

export interface Docker {
  ping(): Promise<void>;
  engine(): Promise<EngineInfo>;
  /**
   * Asks the engine to look `ref` up in its registry without pulling: "found", or "missing" when
   * the registry answered that it has no such tag or repository. Anything else (unreachable,
   * refused credentials) rejects with the engine's reason.
   */
  lookUp(ref: string): Promise<"found" | "missing">;
  imageExists(ref: string): Promise<boolean>;
  pull(ref: string, onProgress: Progress): Promise<void>;
  /** Builds from a tar stream of the context; the stream is uploaded over the host connection. */
  build(context: Readable, opts: BuildOptions, onProgress: Progress): Promise<void>;
  removeImage(ref: string): Promise<void>;
  /** Tags (repo:tag) of local images whose repository is `repo`. */
  listImageTags(repo: string): Promise<string[]>;
  create(spec: ContainerSpec): Promise<string>;
  start(id: string): Promise<void>;
  stop(id: string, timeoutSec: number): Promise<void>;
  remove(id: string): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  inspect(idOrName: string): Promise<ContainerInfo | undefined>;
  /** Containers (running or not) carrying every label in `labels` (KEY=VALUE). */
  list(labels: string[]): Promise<ContainerInfo[]>;
  logs(id: string, tail: number): Promise<string>;
  /** Waits for the container to exit and answers its exit code. */
  wait(id: string): Promise<number>;
  /** Copies a container's stdout/stderr (following it when asked) until it ends. */
  streamLogs(id: string, opts: LogOptions, out: { stdout: Writable; stderr: Writable }): Promise<void>;
  /**
   * Runs `command` in a one-off container like `sourceId` (same image, env, volumes, networks),
   * attached to `io` until it exits, then removes it; its exit code.
   */
  runLike(
    sourceId: string,
    one: { name: string; command: string[]; labels: Record<string, string> },
    io: AttachIO,
  ): Promise<number>;
  /** Runs argv inside a running container (docker exec); its exit code. */
  execAttached(id: string, argv: string[], io: AttachIO): Promise<number>;
  /**
   * Creates a bridge network with `labels` unless one of that name exists; the network's labels
   * as they are (an existing one's own), for the caller to decide whether it may join it.
   */
  ensureNetwork(name: string, labels: Record<string, string>): Promise<Record<string, string>>;
  removeVolume(name: string): Promise<void>;
}
