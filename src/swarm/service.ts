// A workload's service as teardown and status see it: removed with its tasks, or read as the
// tasks each node runs.
import { TinyforgeError } from "../errors.js";
import { LABEL } from "../plan/labels.js";
import type { ServiceInfo, Swarm } from "../ports/swarm.js";

/** The instance a service must belong to before tinyforge updates or removes it. */
export interface ServiceOwner {
  project: string;
  /** The instance key: web.production[.pr-12]. */
  key: string;
}

/**
 * Refuses a service that is not this instance's: its project and instance labels must be ours.
 * One Swarm serves many projects; a service made by hand, by another tool or for another project
 * that happens to carry the name is never replaced or removed.
 */
export function assertOwnService(s: ServiceInfo, owner: ServiceOwner): void {
  const project = s.labels[LABEL.project];
  const key = s.labels[LABEL.instance];
  if (project === owner.project && key === owner.key) return;
  const whose =
    project === undefined
      ? "has no tinyforge labels"
      : project !== owner.project
        ? `belongs to project "${project}"`
        : `belongs to instance ${key ?? "(none)"}`;
  throw new TinyforgeError(
    "deploy_failed",
    `Swarm service ${s.name} ${whose}, not to ${owner.project}'s ${owner.key}: tinyforge leaves it alone`,
    {
      hint: "rename the workload or stage, or remove that service by hand (docker service rm) if it is stale",
    },
  );
}

export interface NodeTasks {
  node: string;
  /** Tasks Swarm wants running on this node, and how many of them run. */
  desired: number;
  running: number;
}

/**
 * Removes the instance's service (Swarm stops its tasks); one line, or none when there was no
 * service. A service that is not the instance's is refused (assertOwnService).
 */
export async function removeService(swarm: Swarm, name: string, owner: ServiceOwner): Promise<string[]> {
  const s = await swarm.service(name);
  if (!s) return [];
  assertOwnService(s, owner);
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
