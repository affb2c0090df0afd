// Parsing of a `hosts:` entry. Kept apart from the connection so it is a pure, tested function.
import { TinyforgeError } from "../errors.js";

export type HostTarget = { kind: "local" } | { kind: "ssh"; user: string; host: string; port: number };

export function parseHostTarget(entry: string): HostTarget {
  if (entry === "local") return { kind: "local" };
  const m = /^ssh:\/\/([^@/\s]+)@([^:/\s]+)(?::(\d{1,5}))?\/?$/.exec(entry);
  const port = Number(m?.[3] ?? 22);
  if (!m || port < 1 || port > 65535) {
    throw new TinyforgeError(
      "config_invalid",
      `hosts: must be "local" or "ssh://USER@HOST[:PORT]" (got ${JSON.stringify(entry)})`,
    );
  }
  return { kind: "ssh", user: m[1]!, host: m[2]!, port };
}

export function targetName(t: HostTarget): string {
  return t.kind === "local" ? "local" : `${t.user}@${t.host}:${t.port}`;
}
