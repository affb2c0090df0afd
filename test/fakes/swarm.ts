// A Swarm manager in memory: services by name, each running its replicas at once (healthy), and
// the overlay networks with their labels. Enough for the engine's decisions, not Swarm's timing.
import type { ServiceInfo, ServiceSpec, Swarm, TaskInfo } from "../../src/ports/swarm.js";

export class FakeSwarm implements Swarm {
  readonly services = new Map<string, ServiceInfo & { spec?: ServiceSpec }>();
  readonly networks = new Map<string, Record<string, string>>();
  readonly calls: string[] = [];
  private seq = 0;

  /** A service someone else made (another project, by hand). */
  put(name: string, labels: Record<string, string>): void {
    this.services.set(name, {
      id: `s${++this.seq}`,
      name,
      version: 1,
      image: "other:1",
      labels,
      replicas: 1,
    });
  }

  async ensureNetwork(name: string, labels: Record<string, string>): Promise<Record<string, string>> {
    const found = this.networks.get(name);
    if (found) return found;
    this.calls.push(`network ${name}`);
    this.networks.set(name, labels);
    return labels;
  }

  async service(name: string): Promise<ServiceInfo | undefined> {
    return this.services.get(name) ?? [...this.services.values()].find((s) => s.id === name);
  }

  async create(spec: ServiceSpec): Promise<string> {
    this.calls.push(`create ${spec.name}`);
    const id = `s${++this.seq}`;
    const s = {
      id,
      name: spec.name,
      version: 1,
      image: spec.image,
      labels: spec.labels,
      replicas: spec.replicas,
    };
    this.services.set(spec.name, { ...s, spec });
    return id;
  }

  async update(id: string, version: number, spec: ServiceSpec): Promise<void> {
    this.calls.push(`update ${spec.name}`);
    const s = [...this.services.values()].find((x) => x.id === id)!;
    this.services.set(s.name, {
      ...s,
      version: version + 1,
      image: spec.image,
      labels: spec.labels,
      replicas: spec.replicas,
      spec,
      update: { state: "completed", message: "" },
    });
  }

  async remove(id: string): Promise<void> {
    const s = [...this.services.values()].find((x) => x.id === id);
    this.calls.push(`remove ${s?.name ?? id}`);
    if (s) this.services.delete(s.name);
  }

  async tasks(service: string): Promise<TaskInfo[]> {
    const s = this.services.get(service);
    if (!s) return [];
    return Array.from({ length: s.replicas }, (_, i) => ({
      id: `${s.id}.${i}`,
      node: "n1",
      image: s.image,
      state: "running",
      desired: "running",
    }));
  }

  async nodes(): Promise<Record<string, string>> {
    return { n1: "manager" };
  }
}
