// What tinyforge keeps on each host, so the action (ephemeral), the bot and the CLI agree on what
// serves. Docker labels on the containers are the second source of truth (reconcile compares them).
import type { Upstream } from "../ports/proxy.js";

/** A release named by the deploy that first built it, and its commit. */
export interface ReleaseRef {
  deployId: string;
  sha: string;
}

export interface Release {
  deployId: string;
  /** The deploy that first built this release (a rollback to it keeps it); absent = deployId. */
  origin?: string;
  sha: string;
  /** Built from a working tree with changes not in `sha`: never the same as a clean build of it. */
  dirty?: true;
  /** The image the container runs; "" for a compose stack (its images are compose's). */
  image: string;
  /** A compose release's files on the host: rollback runs `up` in it again. */
  composeDir?: string;
  container: string;
  containerId: string;
  hostPort?: number;
  url?: string;
  strategy: "recreate" | "blue-green";
  deployedAt: string;
}

/**
 * A route of the instance and the proxy that carries it (src/deploy/route-records.ts owns it).
 * The record with `upstream` is the route the active release is served by, written as it was
 * sent: `reconcile --routes` puts it back from here, with no project's config. A record without
 * is a route left on a proxy no longer configured, kept only until it is removed from there.
 */
export interface RouteRecord {
  hostname: string;
  /** The config's `proxy:` section when the route was written: driver and address (no secrets live there). */
  proxy: Record<string, unknown> & { driver: string };
  upstream?: Upstream;
  tls?: boolean;
}

export interface InstanceState {
  key: string;
  project: string;
  workload: string;
  stage: string;
  tag?: string;
  active?: Release;
  /** Earlier releases, newest first, capped at keep_releases: what rollback goes back to. */
  previous: Release[];
  /** Every proxy known to carry a route of this instance, the serving one first. */
  routes?: RouteRecord[];
  /** The active release is being baked: the old one still runs, ready to take the route back. */
  bake?: BakeMark;
  updatedAt: string;
}

/** A bake in progress, as `status` shows it. */
export interface BakeMark {
  deployId: string;
  since: string;
  until: string;
  /** The container the route goes back to if the bake fails. */
  previous: string;
}

/** A chat message: Slack's channel id and message ts, and the workspace's domain when known. */
export interface ChatThread {
  channel: string;
  ts: string;
  domain?: string;
}

export interface StepRecord {
  name: string;
  ms: number;
  ok: boolean;
}

/** `interrupted`: the deploy never finished (its connection dropped, its process died). */
export type Outcome = "running" | "success" | "failed" | "unchanged" | "interrupted";

export interface DeployRecord {
  deployId: string;
  project: string;
  workload: string;
  stage: string;
  tag?: string;
  sha: string;
  dirty?: true;
  ref?: string;
  trigger?: string;
  /** The chat message that reports this deploy (a Slack command's), for a link back to it. */
  thread?: ChatThread;
  /** "rollback": this deploy went back to an earlier release, `rollback` says from which to which. */
  kind?: "deploy" | "rollback";
  rollback?: { from: ReleaseRef; to: ReleaseRef };
  strategy: "recreate" | "blue-green";
  host: string;
  outcome: Outcome;
  url?: string;
  container?: string;
  previous?: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  steps: StepRecord[];
  /** For an interrupted deploy: the step it was in when it stopped. */
  step?: string;
  error?: { code: string; message: string };
  /** The bake window's verdict and figures ("soak 120/120 ok, p50 12 ms, p99 41 ms"). */
  bake?: { verdict: "held" | "failed" | "cancelled"; summary: string };
  /** Deployed into a frozen stage by overriding the freeze (`--force`): the freeze it overrode. */
  forced?: { freeze: Freeze; by: string };
}

/** A stage's deploy freeze (`tinyforge freeze`), kept on each host of the stage. */
export interface Freeze {
  stage: string;
  reason: string;
  /** Who froze it: "alice@laptop", "slack:U024BE7LH", "github:octocat". */
  by: string;
  at: string;
  /** ISO time after which it no longer freezes; absent: until unfrozen. */
  until?: string;
}

export type Level = "debug" | "info" | "warn" | "error";

export interface DeployEvent {
  ts: string;
  deployId: string;
  workload: string;
  stage: string;
  level: Level;
  step: string;
  msg: string;
}
