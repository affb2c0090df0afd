// A Swarm manager as the engine sees it: services, their tasks and the overlay network they share.
// Only src/adapters/swarm-engine.ts talks to dockerode; src/swarm and its unit tests see this.

/** What tinyforge asks Swarm to run: built by src/plan/swarm-service.ts, pure. */
export interface ServiceSpec {
  name: string;
  image: string;
  labels: Record<string, string>;
  /** KEY=VALUE pairs; secret values travel in the API body, never in argv. */
  env: string[];
  command?: string[];
  replicas: number;
  network: string;
  endpointMode: "dnsrr" | "vip";
  /** The gate, run by Swarm inside each task: argv of a CMD-SHELL-less check, or none. */
  health?: { test: string[]; intervalMs: number; timeoutMs: number; retries: number; startPeriodMs: number };
  stopGraceMs: number;
  /** How long Swarm watches each updated task before the update counts (update/rollback monitor). */
  monitorMs: number;
  /** Each task's limits (resources.memory, resources.cpus), in the Engine API's units. */
  memoryBytes?: number;
  nanoCpus?: number;
}

/** Where Swarm is with a service's last update (none yet: a service just created). */
export type UpdateState =
  | "updating"
  | "paused"
  | "completed"
  | "rollback_started"
  | "rollback_paused"
  | "rollback_completed";

export interface ServiceInfo {
  id: string;
  name: string;
  /** Swarm's object version: an update must name the one it read. */
  version: number;
  image: string;
  labels: Record<string, string>;
  replicas: number;
  update?: { state: UpdateState; message: string };
}

export interface TaskInfo {
  id: string;
  node: string;
  image: string;
  /** Swarm's task state: new … running, complete, failed, shutdown, rejected … */
  state: string;
  desired: string;
  /** Why a task ended (a failed health check, a missing image). */
  error?: string;
}

export interface Swarm {
  /** The attachable overlay network, created with `labels` when absent; its labels as they are. */
  ensureNetwork(name: string, labels: Record<string, string>): Promise<Record<string, string>>;
  service(name: string): Promise<ServiceInfo | undefined>;
  create(spec: ServiceSpec): Promise<string>;
  update(id: string, version: number, spec: ServiceSpec): Promise<void>;
  remove(id: string): Promise<void>;
  tasks(service: string): Promise<TaskInfo[]>;
  /** Node id → hostname, for status. */
  nodes(): Promise<Record<string, string>>;
}
