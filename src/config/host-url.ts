// The shape of a `hosts:` entry, apart from the schema: the CLI reads it before it loads the
// validator (the SSH login starts while the rest loads, src/app/early-login.ts).

/**
 * `[swarm+]ssh://USER@HOST[:PORT][?socket=/ABS/PATH]`: `swarm+` makes the host a Swarm manager whose
 * workloads are services (src/swarm). `socket` names the Docker engine's socket on the
 * host when it is not /var/run/docker.sock (a second engine, rootless Docker). An absolute path of
 * plain characters only: it goes into a channel request and a DOCKER_HOST variable.
 */
export const SSH_URL =
  /^(?:swarm\+)?ssh:\/\/([^@/\s]+)@([^:/?\s]+)(?::(\d{1,5}))?\/?(?:\?socket=(\/[A-Za-z0-9._/-]+))?$/;
