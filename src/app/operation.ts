// What an entry point can ask of tinyforge, as data. The CLI, the action and the bot each parse
// their inputs into one of these and render what execute() answers.
import type { Strategy } from "../config/schema.js";
import type { DeployHooks } from "../deploy/hooks.js";
import type { InstanceStatus } from "../deploy/status.js";
import type { DeployResult } from "../deploy/types.js";
import type { Lease } from "../deploy/lock.js";
import type { AttachIO } from "../ports/docker.js";
import type { InstanceSettings } from "../plan/instance-settings.js";
import type { Finding } from "./doctor/index.js";
import type { Expired } from "./previews.js";
import type { ChatThread, DeployEvent, DeployRecord, Freeze, StepRecord } from "../state/model.js";
import type { PlanResult } from "./plan.js";
import type { StageWant } from "./stages.js";

export interface DeployOp {
  kind: "deploy";
  stage: StageWant;
  /** One workload; without it, every workload of the config. */
  workload?: string;
  sha: string;
  /** The build is the working tree with changes not in `sha` (`--allow-dirty`). */
  dirty?: boolean;
  /** The files to build from (the commit's exported tree); default: the config's directory. */
  sourceDir?: string;
  ref?: string;
  tag?: string;
  strategy?: Strategy;
  /** Why it runs, kept in the record: "push", "pull_request", "chat"… */
  trigger?: string;
  /** The chat message that reports it, kept in the record (the dashboard links to it). */
  thread?: ChatThread;
  /** A deploy of the same workload+stage that is baking is asked to end its bake (it reverts). */
  cancelBake?: boolean;
  /** Deploy even though the stage is frozen; the override is recorded with `actor`. */
  force?: boolean;
  /** Who asks (kept with a forced override): "alice@laptop", "slack:U024BE7LH", "github:octocat". */
  actor?: string;
}

export interface RollbackOp {
  kind: "rollback";
  stage: StageWant;
  workload: string;
  tag?: string;
  /** A kept release's deploy id or SHA; default: the one before the serving one. */
  to?: string;
  /** Roll back even though the stage is frozen; the override is recorded with `actor`. */
  force?: boolean;
  actor?: string;
}

/** Freeze a stage on every host of it: deploys, rollbacks and previews into it are refused. */
export interface FreezeOp {
  kind: "freeze";
  stage: string;
  reason: string;
  /** Who freezes it, as shown with the freeze. */
  by: string;
  /** ISO 8601: it no longer freezes after this. */
  until?: string;
}

export interface UnfreezeOp {
  kind: "unfreeze";
  stage: string;
}

/** What a deploy would do, read from the hosts without changing anything (src/app/plan.ts). */
export interface PlanOp {
  kind: "plan";
  stage: StageWant;
  workload?: string;
  sha: string;
  ref?: string;
  tag?: string;
  strategy?: Strategy;
}

export interface TeardownOp {
  kind: "teardown";
  stage: StageWant;
  workload?: string;
  tag?: string;
}

export interface ReconcileOp {
  kind: "reconcile";
  /** Only the proxy routes of every instance on each host (all projects in state_dir). */
  routes?: boolean;
}

/** Tear down every preview past its stage's preview_ttl at `now` (ms since the epoch). */
export interface ExpireOp {
  kind: "expire";
  now: number;
}

export interface StatusOp {
  kind: "status";
  workload?: string;
  stage?: string;
}

export interface HistoryOp {
  kind: "history";
  workload: string;
  stage?: string;
  limit: number;
  /** The next page: deploys older than this id. */
  before?: string;
}

export interface LogsOp {
  kind: "logs";
  deployId: string;
  /** Keep reading until the deploy ends. */
  follow?: boolean;
}

/** What became of a deploy whose process is gone (the bot restarted): src/app/settle.ts. */
export interface SettleOp {
  kind: "settle";
  deployId: string;
}

export interface UnlockOp {
  kind: "unlock";
  workload: string;
  stage: string;
}

/** The effective settings of one instance, from the config alone: no host is opened. */
export interface ConfigOp {
  kind: "config";
  workload: string;
  stage: StageWant;
  tag?: string;
  /** Fills {sha} in env values; without it, {sha} stays as written. */
  sha?: string;
}

/** A serving container's own output (`logs WORKLOAD`), redacted, through `Observers.onOutput`. */
export interface AppLogsOp {
  kind: "app-logs";
  workload: string;
  stage: StageWant;
  tag?: string;
  /** Keep reading until the container stops or `Observers.signal` aborts. */
  follow?: boolean;
  /** Only the last N lines. */
  tail?: number;
  /** Unix seconds: only output written since then. */
  sinceSec?: number;
}

/** A command against the serving release, attached to `Observers.attach`; answers its exit code. */
export interface ExecOp {
  kind: "exec";
  workload: string;
  stage: StageWant;
  tag?: string;
  argv: readonly string[];
  /** Inside the serving container (docker exec) instead of a one-off container like it. */
  running?: boolean;
}

export type AccessoryAction = "up" | "down" | "restart" | "logs";

/** The lifecycle of a long-lived service of the project (`tinyforge accessory …`). */
export interface AccessoryOp {
  kind: "accessory";
  action: AccessoryAction;
  name: string;
  stage: StageWant;
  /** With per_tag: the tagged instance's own accessory. */
  tag?: string;
  /** down: remove its named volumes too. */
  removeData?: boolean;
  /** logs: keep reading. */
  follow?: boolean;
  /** logs: only the last N lines. */
  tail?: number;
}

/** Check each host and the forge token; changes nothing a deploy relies on. */
export interface DoctorOp {
  kind: "doctor";
}

export type Operation =
  | DeployOp
  | RollbackOp
  | TeardownOp
  | ReconcileOp
  | ExpireOp
  | StatusOp
  | HistoryOp
  | LogsOp
  | UnlockOp
  | ConfigOp
  | AppLogsOp
  | ExecOp
  | AccessoryOp
  | DoctorOp
  | SettleOp
  | FreezeOp
  | UnfreezeOp
  | PlanOp;

export interface Removed {
  host: string;
  workload: string;
  stage: string;
  tag: string | null;
  key: string;
  /** What was removed; empty when nothing was deployed there. */
  lines: string[];
}

export interface HostLines {
  host: string;
  lines: string[];
  /** The host could not be opened: its one line says why, and the command exits 4. */
  unreached?: true;
}

export interface Unlocked {
  host: string;
  workload: string;
  stage: string;
  holder?: Lease;
}

export interface LogsResult {
  /** The deploy still said "running" but its holder is gone (a killed process). */
  interrupted: boolean;
}

/** A stage's freeze as one host has it (every host of the stage carries its own copy). */
export interface FrozenStage {
  host: string;
  freeze: Freeze;
}

export interface StatusResult {
  rows: InstanceStatus[];
  /** Freezes in force on the hosts read (one per host and stage). */
  frozen: FrozenStage[];
  /** Nothing serves: the last deploy, when there is one (torn down is not never deployed). */
  last?: DeployRecord;
}

export type HistoryRow = DeployRecord & { host: string };

export interface ResultOf {
  deploy: DeployResult[];
  rollback: DeployResult[];
  teardown: Removed[];
  reconcile: HostLines[];
  expire: Expired[];
  status: StatusResult;
  history: HistoryRow[];
  logs: LogsResult;
  unlock: Unlocked[];
  config: InstanceSettings;
  /** The container each host's output came from. */
  "app-logs": Array<{ host: string; container: string }>;
  /** The command's exit code. */
  exec: number;
  accessory: HostLines[];
  doctor: Finding[];
  /** undefined: no host has its record (it never started there). */
  settle: DeployResult | undefined;
  /** The freeze written, per host. */
  freeze: FrozenStage[];
  /** Per host: the freeze removed, if there was one. */
  unfreeze: Array<{ host: string; freeze?: Freeze }>;
  plan: PlanResult[];
}

/** How an entry point watches an operation as it runs. Every callback is optional. */
export interface Observers {
  /** A workload's deploy is about to start on a host. */
  onStart?(at: { workload: string; stage: string; host: string }): void;
  onStep?(step: StepRecord, at: { workload: string; host: string }): void;
  /** Every event of a deploy as it happens; for `logs`, each stored event as it is read. */
  onEvent?(e: DeployEvent): void;
  /** A workload's deploy ended on a host (before the next one starts). */
  onResult?(r: DeployResult): void;
  /** A container's output (app-logs, accessory logs), redacted, whole lines at a time. */
  onOutput?(text: string, stream: "stdout" | "stderr", at: { host: string }): void;
  /** Where an exec's command reads and writes (the CLI: the terminal). */
  attach?: AttachIO;
  /** Ends a followed stream (the CLI: Ctrl-C). */
  signal?: AbortSignal;
  /**
   * Asked during a deploy's bake, about once a second: the id of a deploy that asks it to end its
   * bake from within this process (the bot: a `cancel-bake` deploy queued behind it), if any.
   * Another process's `--cancel-bake` is read from the host's lock directory as well.
   */
  bakeCancelledBy?: () => string | undefined;
  /** Extra observers of each deploy (the bot's PR comment, its Slack message). */
  hooks?: readonly DeployHooks[];
  /**
   * The deploy was announced before it ran (the bot's early "pending", src/deploy/announce.ts):
   * these observers, which heard `started` already, replace the reporters and `hooks`, and the
   * first host's deploy takes this id.
   */
  announced?: { deployId: string; hooks: readonly DeployHooks[] };
}
