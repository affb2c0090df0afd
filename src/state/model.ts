// What tinyforge keeps on each host, so the action (ephemeral), the bot and the CLI agree on what
// serves. Docker labels on the containers are the second source of truth (reconcile compares them).

export interface Release {
  deployId: string;
  sha: string;
  image: string;
  container: string;
  containerId: string;
  hostPort?: number;
  url?: string;
  strategy: "recreate" | "blue-green";
  deployedAt: string;
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
  updatedAt: string;
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
  ref?: string;
  trigger?: string;
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
