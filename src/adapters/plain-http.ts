// Options for an http.Agent that only ever speaks plain HTTP (to a Docker socket, local or through
// an SSH channel). For every request Node's Agent works out a TLS server name, even when no TLS
// follows, and rules out IP literals with net.isIP(host). For a host that is not an IPv4 literal
// ("localhost" for a socket path, "docker.sock" through SSH) that first compiles and runs Node's
// IPv6 pattern: 12-15 ms of CPU on these machines, paid by every CLI run on its first Docker call,
// on the deploy's critical path. Plain HTTP has no server name, so the agent is told there is none.
import type { AgentOptions } from "node:http";

export function plainHttpAgent(options: AgentOptions): AgentOptions {
  // `servername` is a TLS connect option; Node's Agent reads it from its options for every request.
  return { ...options, servername: "" } as AgentOptions;
}
