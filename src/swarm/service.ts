// A workload's service as teardown and status see it: removed with its tasks, or read as the
// tasks each node runs.
import type { Swarm } from "../ports/swarm.js";

export interface NodeTasks {
  node: string;
  /** Tasks Swarm wants running on this node, and how many of them run. */
  desired: number;
  running: number;
}

/** Removes the service (Swarm stops its tasks); one line, or none when there was no service. */
export async function removeService(swarm: Swarm, name: string): Promise<string[]> {
  const s = await swarm.service(name);
  if (!s) return [];
  await swarm.remove(s.id);
  return [`removed service ${name}`];
}

/** The service's state and its tasks per node; undefined when the service is gone. */
export async function serviceTasks(
  swarm: Swarm,
  id: string,
): Promise<{ running: boolean; nodes: NodeTasks[] } | undefined> {
  const s = await swarm.service(id);
  if (!s) return undefined;
  const [tasks, names] = await Promise.all([swarm.tasks(s.name), swarm.nodes()]);
  const byNode = new Map<string, NodeTasks>();
  for (const t of tasks.filter((x) => x.desired === "running")) {
    const node = names[t.node] ?? t.node;
    const row = byNode.get(node) ?? { node, desired: 0, running: 0 };
    row.desired++;
    if (t.state === "running") row.running++;
    byNode.set(node, row);
  }
  const nodes = [...byNode.values()].sort((a, b) => a.node.localeCompare(b.node));
  return { running: nodes.some((n) => n.running > 0), nodes };
}
