// What an entry point can ask of tinyforge, as data. The CLI, the action and the bot each parse
// their inputs into one of these and render what execute() answers.
import type { Strategy } from "../config/schema.js";
import type { DeployHooks } from "../deploy/hooks.js";
import type { InstanceStatus } from "../deploy/status.js";
import type { DeployResult } from "../deploy/types.js";
import type { Lease } from "../deploy/lock.js";
import type { ChatThread, DeployEvent, DeployRecord, StepRecord } from "../state/model.js";
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
}

export interface RollbackOp {
  kind: "rollback";
  stage: StageWant;
  workload: string;
  tag?: string;
  /** A kept release's deploy id or SHA; default: the one before the serving one. */
  to?: string;
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

export type Operation =
  | DeployOp
  | RollbackOp
  | TeardownOp
  | ReconcileOp
  | StatusOp
  | HistoryOp
  | LogsOp
  | UnlockOp
  | SettleOp;

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

export interface StatusResult {
  rows: InstanceStatus[];
  /** Nothing serves: the last deploy, when there is one (torn down is not never deployed). */
  last?: DeployRecord;
}

export type HistoryRow = DeployRecord & { host: string };

export interface ResultOf {
  deploy: DeployResult[];
  rollback: DeployResult[];
  teardown: Removed[];
  reconcile: HostLines[];
  status: StatusResult;
  history: HistoryRow[];
  logs: LogsResult;
  unlock: Unlocked[];
  /** undefined: no host has its record (it never started there). */
  settle: DeployResult | undefined;
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
  /** Extra observers of each deploy (the bot's PR comment, its Slack message). */
  hooks?: readonly DeployHooks[];
  /**
   * The deploy was announced before it ran (the bot's early "pending", src/deploy/announce.ts):
   * these observers, which heard `started` already, replace the reporters and `hooks`, and the
   * first host's deploy takes this id.
   */
  announced?: { deployId: string; hooks: readonly DeployHooks[] };
}
