// The Swarm port over dockerode, on the same Docker API connection as DockerEngine (one SSH
// connection per deploy). The service spec is the Engine API's, built from our ServiceSpec here.
import type Dockerode from "dockerode";
import type { Bounds } from "./lifeline.js";
import type { ServiceInfo, ServiceSpec, Swarm, TaskInfo, UpdateState } from "../ports/swarm.js";

const S = 1000;
export const SWARM_BOUNDS: Bounds<SwarmEngine> = {
  ensureNetwork: 60 * S,
  service: 30 * S,
  create: 60 * S,
  update: 60 * S,
  remove: 60 * S,
  tasks: 30 * S,
  nodes: 30 * S,
};

const NS = 1_000_000;

/** The Engine API's ServiceSpec for ours: start-first updates that Swarm rolls back on failure. */
export function engineServiceSpec(spec: ServiceSpec): Record<string, unknown> {
  const order = { Order: "start-first", Parallelism: 1, Delay: 0, Monitor: spec.monitorMs * NS };
  return {
    Name: spec.name,
    Labels: spec.labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: spec.image,
        Env: spec.env,
        ...(spec.command ? { Args: spec.command } : {}),
        StopGracePeriod: spec.stopGraceMs * NS,
        ...(spec.health
          ? {
              HealthCheck: {
                Test: spec.health.test,
                Interval: spec.health.intervalMs * NS,
                Timeout: spec.health.timeoutMs * NS,
                Retries: spec.health.retries,
                StartPeriod: spec.health.startPeriodMs * NS,
              },
            }
          : {}),
      },
      ...(spec.memoryBytes !== undefined || spec.nanoCpus !== undefined
        ? {
            Resources: {
              Limits: {
                ...(spec.memoryBytes !== undefined ? { MemoryBytes: spec.memoryBytes } : {}),
                ...(spec.nanoCpus !== undefined ? { NanoCPUs: spec.nanoCpus } : {}),
              },
            },
          }
        : {}),
      Networks: [{ Target: spec.network }],
      // A task that fails is replaced; the update's failure_action decides about the release.
      RestartPolicy: { Condition: "any", Delay: 1 * S * NS, MaxAttempts: 0 },
      // Every update gets new tasks, even when only the environment differs.
      ForceUpdate: 0,
    },
    Mode: { Replicated: { Replicas: spec.replicas } },
    UpdateConfig: { ...order, FailureAction: "rollback", MaxFailureRatio: 0 },
    RollbackConfig: { ...order, FailureAction: "pause", MaxFailureRatio: 0 },
    EndpointSpec: { Mode: spec.endpointMode },
  };
}

function isNotFound(e: unknown): boolean {
  return (e as { statusCode?: number }).statusCode === 404;
}

export class SwarmEngine implements Swarm {
  constructor(private readonly d: Dockerode) {}

  async ensureNetwork(name: string, labels: Record<string, string>): Promise<Record<string, string>> {
    // The name filter matches substrings: only the exact name counts.
    const found = (await this.d.listNetworks({ filters: { name: [name] } })).find((n) => n.Name === name);
    if (found) return found.Labels ?? {};
    await this.d.createNetwork({ Name: name, Driver: "overlay", Attachable: true, Labels: labels });
    return labels;
  }

  async service(name: string): Promise<ServiceInfo | undefined> {
    try {
      const s = (await this.d.getService(name).inspect()) as EngineService;
      return {
        id: s.ID,
        name: s.Spec.Name,
        version: s.Version.Index,
        image: s.Spec.TaskTemplate.ContainerSpec.Image,
        labels: s.Spec.Labels ?? {},
        replicas: s.Spec.Mode?.Replicated?.Replicas ?? 0,
        ...(s.UpdateStatus?.State
          ? { update: { state: s.UpdateStatus.State, message: s.UpdateStatus.Message ?? "" } }
          : {}),
      };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async create(spec: ServiceSpec): Promise<string> {
    const r = (await this.d.createService(engineServiceSpec(spec) as never)) as { id?: string; ID?: string };
    return (r.ID ?? r.id)!;
  }

  async update(id: string, version: number, spec: ServiceSpec): Promise<void> {
    await this.d.getService(id).update({ version, ...engineServiceSpec(spec) } as never);
  }

  async remove(id: string): Promise<void> {
    try {
      await this.d.getService(id).remove();
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async tasks(service: string): Promise<TaskInfo[]> {
    const list = (await this.d.listTasks({ filters: { service: [service] } })) as EngineTask[];
    return list.map((t) => ({
      id: t.ID,
      node: t.NodeID ?? "",
      image: t.Spec?.ContainerSpec?.Image ?? "",
      state: t.Status?.State ?? "unknown",
      desired: t.DesiredState ?? "",
      ...(t.Status?.Err ? { error: t.Status.Err } : {}),
    }));
  }

  async nodes(): Promise<Record<string, string>> {
    const list = (await this.d.listNodes()) as Array<{ ID: string; Description?: { Hostname?: string } }>;
    return Object.fromEntries(list.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
  }
}

interface EngineService {
  ID: string;
  Version: { Index: number };
  Spec: {
    Name: string;
    Labels?: Record<string, string>;
    TaskTemplate: { ContainerSpec: { Image: string } };
    Mode?: { Replicated?: { Replicas?: number } };
  };
  UpdateStatus?: { State?: UpdateState; Message?: string };
}

interface EngineTask {
  ID: string;
  NodeID?: string;
  DesiredState?: string;
  Spec?: { ContainerSpec?: { Image?: string } };
  Status?: { State?: string; Err?: string };
}
