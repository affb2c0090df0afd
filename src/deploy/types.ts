// What the engine is given and what it answers. Entry points (CLI, action, bot) build an
// EngineContext once from their own inputs; the engine never reads env vars or action inputs.
import type { Config, Strategy } from "../config/schema.js";
import type { BakeFigures } from "./bake-figures.js";
import type { DeployHooks } from "./hooks.js";
import type { EventListener } from "../events/journal.js";
import type { Redactor } from "../events/redact.js";
import type { NetworkTrust } from "../plan/network-owner.js";
import type { Clock } from "../ports/clock.js";
import type { Host } from "../ports/host.js";
import type { Proxy } from "../ports/proxy.js";
import type { ChatThread, DeployRecord, Outcome, Release, ReleaseRef, StepRecord } from "../state/model.js";
import type { RolloutPeer } from "./rollout.js";

export interface EngineContext {
  config: Config;
  /** Directory of the config file: the checkout that dockerfile/static sources build from. */
  configDir: string;
  /**
   * The repository's tree as the bot unpacked it (configDir is in it): what is built must stay
   * inside it after symlinks. Unset for the operator's own checkout (CLI, action).
   */
  checkoutRoot?: string;
  host: Host;
  proxy: Proxy;
  /** Reaches another proxy than the configured one: where a route was recorded before a change. */
  proxyFor?: (p: Config["proxy"]) => Proxy;
  clock: Clock;
  /** Secret values by env name, read at the edge; passed to containers, redacted everywhere. */
  secrets: Record<string, string>;
  redact: Redactor;
  /** Who holds the lock, for the message another deploy sees ("ci@runner-7 pid 4242"). */
  owner: string;
  lockTtlMs: number;
  onEvent?: EventListener;
  /** Called as each step ends: the CLI prints a progress line, the bot updates its message. */
  onStep?: (step: StepRecord) => void;
  /** Commit statuses, chat, webhooks: best-effort observers (src/deploy/hooks.ts). */
  hooks?: readonly DeployHooks[];
  /**
   * The hooks heard `started` before the deploy (announce.ts: the bot's early "pending"), so any
   * outcome concludes them, an unchanged SHA or a lock held too, never leaving "pending" behind.
   */
  announced?: boolean;
  /** Bound on each hook call (default 10 s). */
  hookTimeoutMs?: number;
  /**
   * Which existing networks the project may join beyond its own (src/plan/network-owner.ts);
   * unset: the operator's own run (an unlabelled network is joined).
   */
  networks?: NetworkTrust;
  /** This host is one of several deployed as one release: where it waits for the others. */
  rollout?: RolloutPeer;
  /**
   * A deploy in this process asks the bake to end (Observers.bakeCancelledBy): its id. Beside the
   * request file a waiting `--cancel-bake` writes on the host, for one that waits elsewhere.
   */
  bakeCancelledBy?: () => string | undefined;
}

/** What a deploy is, for observers: known before it runs. */
export interface DeployInfo {
  deployId: string;
  project: string;
  workload: string;
  stage: string;
  tag: string | null;
  sha: string;
  ref: string | null;
  strategy: Strategy;
  host: string;
  /** The checks the deploy waited for (stages.S.wait_for_checks), all green when it started. */
  requiredContexts?: readonly string[];
}

export interface DeployRequest {
  workload: string;
  stage: string;
  tag?: string;
  sha: string;
  ref?: string;
  strategy?: Strategy;
  deployId?: string;
  /** Run this kept release again instead of pulling/building (a rollback): its image or compose files. */
  release?: Pick<Release, "image" | "composeDir">;
  /** Why this deploy happened, kept in its record: "rollback", "push", "pull_request", "chat"… */
  trigger?: string;
  /** The chat message that reports it (kept in its record). */
  thread?: ChatThread;
  /** The build is the working tree with changes not in `sha` (`--allow-dirty`): said everywhere. */
  dirty?: boolean;
  /** A rollback: the deploy that first built the release it re-activates. */
  origin?: string;
  /** A rollback: the serving release it replaces and the kept one it goes to. */
  rollback?: { from: ReleaseRef; to: ReleaseRef };
  /** A deploy holding the lock while it bakes is asked to end its bake (it reverts); then this one runs. */
  cancelBake?: boolean;
  /** The stage is frozen and this deploy overrides it (`--force`): kept in its record and events. */
  forced?: DeployRecord["forced"];
}

export interface DeployResult {
  deployId: string;
  workload: string;
  stage: string;
  tag: string | null;
  sha: string;
  /** Present when the release was built from a working tree with changes not in `sha`. */
  dirty?: true;
  /** Present for a rollback: from which release to which. */
  rollback?: { from: ReleaseRef; to: ReleaseRef };
  /** Present when it overrode the stage's freeze (`--force`). */
  forced?: DeployRecord["forced"];
  strategy: Strategy;
  /**
   * `superseded`: announced (the bot's early "pending") but never run, a newer push replaced it in
   * the queue. Not a failure: nothing was tried. The engine itself never answers it.
   */
  outcome: Exclude<Outcome, "running" | "interrupted"> | "superseded";
  url: string | null;
  container: string | null;
  /** Success: the container this deploy replaced. Failure: the one that still serves. */
  previous: string | null;
  host: string;
  durationMs: number;
  /** From the start until the new release served and was persisted (success reported); else null. */
  servedMs: number | null;
  /** The bake window's figures, when the release was baked (held, failed or cancelled). */
  bake?: BakeFigures;
  steps: StepRecord[];
  /**
   * `message` is safe to publish (events, statuses, chat). `detail`, when present, is the full
   * reason that might carry secrets: for the local caller only, never persisted or sent.
   */
  error: {
    code: string;
    message: string;
    hint?: string;
    detail?: string;
    /** A failed release step's last output lines, redacted: for replies, never commit statuses. */
    output?: string[];
  } | null;
}
