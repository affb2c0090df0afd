import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  SSH_URL
} from "./chunk-B3EANRFM.js";
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";

// src/adapters/ssh-target.ts
function parseHostTarget(entry) {
  if (entry === "local") return { kind: "local" };
  const m = SSH_URL.exec(entry);
  const port = Number(m?.[3] ?? 22);
  if (!m || port < 1 || port > 65535) {
    throw new TinyforgeError(
      "config_invalid",
      `hosts: must be "local", "ssh://USER@HOST[:PORT][?socket=/PATH]" or "swarm+ssh://USER@MANAGER[:PORT]" (got ${JSON.stringify(entry)})`
    );
  }
  return {
    kind: "ssh",
    user: m[1],
    host: m[2],
    port,
    ...m[4] ? { dockerSocket: m[4] } : {},
    // A Swarm manager: its workloads are services, deployed through the same Docker API (src/swarm).
    ...entry.startsWith("swarm+") ? { swarm: true } : {}
  };
}

export {
  parseHostTarget
};
