// The container a deploy creates, as data. Pure: the exact spec is asserted in unit tests, and the
// adapter only translates it to Docker's API body.
import type { WorkloadConfig } from "../config/schema.js";
import { parseMemory } from "../config/values.js";
import type { ContainerSpec } from "../ports/docker.js";

export interface ContainerPlanInput {
  name: string;
  image: string;
  labels: Record<string, string>;
  workload: Pick<
    WorkloadConfig,
    "port" | "env" | "secrets" | "volumes" | "command" | "stop_timeout" | "resources"
  >;
  /** The network it is created on (instanceNetworks): the workload's `network:`, or the bot's tf_P_S. */
  network?: string;
  /** Values of the workload's secrets, read at the edge from the deploying process. */
  secretValues: Record<string, string>;
  meta: { sha: string; stage: string; deployId: string; tag?: string };
  publishIp: string;
  hostPort?: number;
  aliases?: string[];
}

export function containerSpec(p: ContainerPlanInput): ContainerSpec {
  const w = p.workload;
  const env = [
    ...Object.entries(w.env).map(([k, v]) => `${k}=${v}`),
    // Secrets go in the API body's Env, never on a command line that `ps` or a log would show.
    ...w.secrets.map((name) => `${name}=${p.secretValues[name] ?? ""}`),
    `TINYFORGE_SHA=${p.meta.sha}`,
    `TINYFORGE_STAGE=${p.meta.stage}`,
    `TINYFORGE_DEPLOY_ID=${p.meta.deployId}`,
    ...(p.meta.tag ? [`TINYFORGE_TAG=${p.meta.tag}`] : []),
  ];
  return {
    name: p.name,
    image: p.image,
    labels: p.labels,
    env,
    ...(w.port !== undefined ? { port: w.port } : {}),
    publishIp: p.publishIp,
    ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
    ...(p.network ? { network: p.network } : {}),
    ...(p.aliases?.length ? { aliases: p.aliases } : {}),
    volumes: w.volumes,
    ...(w.command ? { command: w.command } : {}),
    stopTimeoutSec: Math.ceil(w.stop_timeout / 1000),
    ...resourceLimits(w.resources),
  };
}

/** resources.memory / resources.cpus in the units Docker's API takes. */
export function resourceLimits(
  r: WorkloadConfig["resources"],
): Pick<ContainerSpec, "memoryBytes" | "nanoCpus"> {
  const memory = r?.memory === undefined ? undefined : parseMemory(r.memory);
  return {
    ...(memory !== undefined ? { memoryBytes: memory } : {}),
    ...(r?.cpus !== undefined ? { nanoCpus: Math.round(r.cpus * 1e9) } : {}),
  };
}
