// Parsing of a `hosts:` entry. Kept apart from the connection so it is a pure, tested function.
import { SSH_URL } from "../config/host-url.js";
import { TinyforgeError } from "../errors.js";

export type HostTarget =
  | { kind: "local" }
  | { kind: "ssh"; user: string; host: string; port: number; dockerSocket?: string; swarm?: true };

export function parseHostTarget(entry: string): HostTarget {
  if (entry === "local") return { kind: "local" };
  const m = SSH_URL.exec(entry);
  const port = Number(m?.[3] ?? 22);
  if (!m || port < 1 || port > 65535) {
    throw new TinyforgeError(
      "config_invalid",
      `hosts: must be "local", "ssh://USER@HOST[:PORT][?socket=/PATH]" or "swarm+ssh://USER@MANAGER[:PORT]" (got ${JSON.stringify(entry)})`,
    );
  }
  return {
    kind: "ssh",
    user: m[1]!,
    host: m[2]!,
    port,
    ...(m[4] ? { dockerSocket: m[4] } : {}),
    // A Swarm manager: its workloads are services, deployed through the same Docker API (src/swarm).
    ...(entry.startsWith("swarm+") ? { swarm: true as const } : {}),
  };
}

export function targetName(t: HostTarget): string {
  return t.kind === "local" ? "local" : `${t.user}@${t.host}:${t.port}`;
}
